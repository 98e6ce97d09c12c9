import type { MetadataRoute } from 'next';

/** Installable scanner: opens straight on the door (the last venue), in portrait, with the app's blue. */
export default function manifest(): MetadataRoute.Manifest {
  return {
    id: '/checker/scan',
    name: '场所体温检测',
    short_name: '体温检测',
    description: '场所门岗扫码测温登记，断网也能记录。',
    lang: 'zh-CN',
    start_url: '/checker/scan',
    scope: '/',
    display: 'standalone',
    orientation: 'portrait',
    background_color: '#f4f6fb',
    theme_color: '#1559c7',
    icons: [
      { src: '/icons/192', sizes: '192x192', type: 'image/png', purpose: 'any' },
      { src: '/icons/512', sizes: '512x512', type: 'image/png', purpose: 'any' },
      { src: '/icons/512', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
    ],
  };
}
