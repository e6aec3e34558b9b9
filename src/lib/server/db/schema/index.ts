export * from './org';
export * from './audit';
export * from './content';
export * from './learning';
export * from './insights';
export * from './rollups';
export * from './messages';
export * from './authoring';
