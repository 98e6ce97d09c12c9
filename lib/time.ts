/** All "today", hour-slot and natural-week arithmetic is done in China Standard Time, never the server's zone. */
export const CHINA_TIME_ZONE = 'Asia/Shanghai';
