export * from './settings';
export * from './shared';
