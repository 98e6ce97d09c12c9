// next-intl's types from the default catalogue: a key missing from zh-CN.json fails the typecheck
// (en.json has the same keys: tests/unit/messages.test.ts).
import type messages from './messages/zh-CN.json';
import type { Locale } from './config';

declare module 'next-intl' {
  interface AppConfig {
    Locale: Locale;
    Messages: typeof messages;
  }
}
