export * from './accounts';
export * from './sign-in-codes';
export * from './audit-log';
