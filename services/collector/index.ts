export {
  CollectorConfig,
  CollectorConfigError,
  type CollectorConfigInput,
  parseWriteKeyList,
} from './collector-config';
export { type CollectorDeps, type CollectorPluginOptions, collectorPlugin } from './collector-plugin';
export { type CollectorAppDeps, createCollector } from './create-collector';
