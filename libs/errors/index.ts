/** The errors that cross actors and processes (KadError) and configuration errors. */

export * from './config-error.js';
export * from './kad-error.js';
