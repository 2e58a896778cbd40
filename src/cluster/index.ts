export * from './clusterSubscriptions.js';
export * from './podHeartbeat.js';
export * from './readClusterView.js';
export * from './readShardWork.js';
