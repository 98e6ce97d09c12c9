import { Info } from 'lucide-react';
import { getFormatter, getTranslations } from 'next-intl/server';
import { ColourBadge } from '@/components/health-code/colour-badge';
import { LiveClock } from '@/components/health-code/live-clock';
import type { CodeView } from '@/lib/health-code/personal-codes';
import { qrSvgDataUrl } from '@/lib/health-code/qr-image';
import { formatShortCode } from '@/lib/health-code/short-code';
import { cn } from '@/lib/utils/cn';

/** The code as the FAQ describes it: green QR on a blue background, or red QR on red — with words and icon. */
export async function CodeCard({ code }: { code: CodeView }) {
  const [t, format] = await Promise.all([getTranslations('healthCode'), getFormatter()]);
  const red = code.status.colour === 'red';
  const qr = await qrSvgDataUrl(code.token, red ? 'red' : 'green');
  return (
    <section
      aria-labelledby="code-holder"
      data-testid="health-code"
      data-colour={code.status.colour}
      className={cn('rounded-3xl p-4 shadow-md sm:p-6', red ? 'bg-danger' : 'bg-brand-600')}
    >
      <div className="rounded-2xl bg-white p-5 text-center">
        <div className="flex flex-wrap items-center justify-center gap-3">
          <h2 id="code-holder" className="text-2xl font-semibold tracking-wide">
            {code.nameMasked}
          </h2>
          <ColourBadge colour={code.status.colour} size="lg" />
        </div>
        <LiveClock label={t('clockLabel')} className="mt-2 block font-mono text-2xl font-semibold tabular-nums text-ink" />
        {/* eslint-disable-next-line @next/next/no-img-element -- a data URL generated on the server */}
        <img src={qr} alt={t('qrAlt', { name: code.nameMasked })} className="mx-auto mt-3 aspect-square w-full max-w-[280px]" />
        <p className="mt-2 text-sm text-muted">{t('shortCode')}</p>
        <p className="font-mono text-2xl font-semibold tracking-widest" data-testid="short-code">
          {formatShortCode(code.shortCode)}
        </p>
        <p className="mt-1 text-xs text-muted">{t('shortCodeHint')}</p>
        <p className={cn('mt-3 text-base font-medium', red ? 'text-danger' : 'text-ok')}>{red ? t('redHint') : t('greenHint')}</p>
      </div>
      {code.status.colour === 'red' && (
        <div className="mt-3 rounded-2xl bg-white p-4 text-left" data-testid="red-reason">
          <p className="flex items-center gap-2 text-lg font-semibold text-danger">
            <Info aria-hidden size={20} />
            {t('reasonTitle', { reason: t(`reasons.${code.status.reason}`) })}
          </p>
          <p className="mt-1 text-sm text-muted">
            {t('since', { time: format.dateTime(code.status.since, { dateStyle: 'medium', timeStyle: 'short' }) })}
          </p>
          <h3 className="mt-3 font-semibold">{t('guidanceTitle')}</h3>
          <p className="mt-1 leading-relaxed">{t(`guidance.${code.status.reason}`)}</p>
        </div>
      )}
      <p className="mt-3 text-center text-sm text-white/90">{t('refreshNote')}</p>
    </section>
  );
}
