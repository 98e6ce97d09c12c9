export * from './accounts';
export * from './sign-in-codes';
export * from './audit-log';
export * from './persons';
export * from './health-status';
export * from './roles';
export * from './rate-limits';
export * from './venues';
