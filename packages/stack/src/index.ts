export * from './cluster';
export * from './databases';
export * from './isolated';
export * from './migrate';
export * from './ports';
export * from './postgres';
export * from './s3';
export * from './temporal';
