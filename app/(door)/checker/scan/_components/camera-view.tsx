'use client';

import { Flashlight, FlashlightOff } from 'lucide-react';
import { useTranslations } from 'next-intl';
import { useEffect, useId, useRef, useState } from 'react';

type Torch = { apply: (on: boolean) => Promise<void> } | null;

/**
 * The camera with html5-qrcode, loaded only in the browser. Rear camera; the native BarcodeDetector
 * where the browser has one. Stopped when the page is left. Detection results go to onDetected; the
 * parent decides what to ignore (the same code within 5 s, anything while a result is shown).
 */
export function CameraView({ onDetected }: { onDetected: (text: string) => void }) {
  const t = useTranslations('door');
  const id = useId().replace(/:/g, '');
  const [state, setState] = useState<'starting' | 'running' | 'unavailable'>('starting');
  const [torch, setTorch] = useState<Torch>(null);
  const [torchOn, setTorchOn] = useState(false);
  const callback = useRef(onDetected);
  callback.current = onDetected;
  // How many codes the camera has decoded, on the element as data-decoded (no re-render): lets a test wait
  // for the same code to have been seen again instead of waiting a fixed time.
  const view = useRef<HTMLDivElement>(null);
  const decoded = useRef(0);

  useEffect(() => {
    let cancelled = false;
    let scanner: import('html5-qrcode').Html5Qrcode | null = null;
    void (async () => {
      try {
        const { Html5Qrcode, Html5QrcodeSupportedFormats } = await import('html5-qrcode');
        if (cancelled) return;
        scanner = new Html5Qrcode(`camera-${id}`, {
          verbose: false,
          formatsToSupport: [Html5QrcodeSupportedFormats.QR_CODE],
          useBarCodeDetectorIfSupported: true,
        });
        await scanner.start(
          { facingMode: 'environment' },
          // The whole frame at the camera's own resolution: a scan box would shrink the crop before
          // decoding and lose dense codes (a phone held close fills the frame anyway).
          { fps: 12, aspectRatio: 4 / 3, videoConstraints: { facingMode: 'environment', width: { ideal: 1280 }, height: { ideal: 960 } } },
          (text) => {
            decoded.current += 1;
            view.current?.setAttribute('data-decoded', String(decoded.current));
            callback.current(text);
          },
          () => {},
        );
        if (cancelled) {
          await scanner.stop().catch(() => {});
          return;
        }
        setState('running');
        try {
          const feature = scanner.getRunningTrackCameraCapabilities().torchFeature();
          if (feature.isSupported()) setTorch({ apply: (on) => feature.apply(on) });
        } catch {
          // No torch on this device: the button is simply not shown.
        }
      } catch {
        if (!cancelled) setState('unavailable');
      }
    })();
    return () => {
      cancelled = true;
      const s = scanner;
      if (s?.isScanning)
        s.stop()
          .then(() => s.clear())
          .catch(() => {});
    };
  }, [id]);

  return (
    <div className="relative overflow-hidden rounded-2xl bg-black">
      <div
        id={`camera-${id}`}
        ref={view}
        className="aspect-[4/3] w-full [&_video]:h-full [&_video]:w-full [&_video]:object-cover"
        data-testid="camera"
      />
      {state !== 'running' && (
        <div className="absolute inset-0 flex items-center justify-center p-6 text-center text-lg text-white" role="status">
          {state === 'starting' ? t('cameraStarting') : t('cameraUnavailable')}
        </div>
      )}
      {state === 'running' && (
        <p className="pointer-events-none absolute inset-x-0 bottom-3 text-center text-base font-medium text-white drop-shadow">
          {t('cameraHint')}
        </p>
      )}
      {torch && (
        <button
          type="button"
          onClick={async () => {
            await torch.apply(!torchOn).catch(() => {});
            setTorchOn(!torchOn);
          }}
          className="absolute right-3 top-3 inline-flex h-12 items-center gap-2 rounded-full bg-black/60 px-4 text-white"
        >
          {torchOn ? <FlashlightOff aria-hidden size={22} /> : <Flashlight aria-hidden size={22} />}
          {torchOn ? t('torchOff') : t('torchOn')}
        </button>
      )}
    </div>
  );
}
