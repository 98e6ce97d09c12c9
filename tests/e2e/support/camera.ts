import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { chromium, type Browser } from '@playwright/test';
import QRCode from 'qrcode';
import { codeKeysFromSeed, signCodeToken } from '@/lib/health-code/token';
import { chromiumArgs, chromiumPath, runDir, serverEnv } from './config';

let n = 0;

/** The signed token a person's code page shows, made with the e2e server's key. */
export function tokenFor(personId: string, generation = 1) {
  return signCodeToken(codeKeysFromSeed(serverEnv.CODE_SIGNING_KEY), { personId, kind: 'personal', generation });
}

/**
 * A Chromium whose camera plays a real QR code (STACK.md): the payload is drawn as a QR, padded into a
 * 640×480 frame and converted to y4m, which Chromium plays as its camera. One launch per code.
 */
export async function browserWithCameraShowing(payload: string): Promise<Browser> {
  n += 1;
  const base = path.join(runDir, `camera-${process.pid}-${n}`);
  await QRCode.toFile(`${base}.png`, payload, { width: 300, margin: 2 });
  execFileSync('ffmpeg', [
    '-loglevel',
    'error',
    '-y',
    '-i',
    `${base}.png`,
    '-frames:v',
    '1',
    '-vf',
    'pad=640:480:(ow-iw)/2:(oh-ih)/2:white,format=yuv420p',
    '-f',
    'yuv4mpegpipe',
    `${base}.y4m`,
  ]);
  return chromium.launch({
    executablePath: chromiumPath(),
    args: [
      ...chromiumArgs,
      '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
      `--use-file-for-fake-video-capture=${base}.y4m`,
    ],
  });
}
