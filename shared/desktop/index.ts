export * from './bridge';
export * from './bridgeSchemas';
