export * from './api-schemas';
export { createProfileApi } from './create-profile-api';
export {
  ProfileApiConfig,
  ProfileApiConfigError,
  type ProfileApiConfigInput,
  parseProfileApiConfig,
} from './profile-api-config';
export {
  PROFILE_API_OPENAPI_PATH,
  type ProfileApiDeps,
  type ProfileApiPluginOptions,
  profileApiPlugin,
} from './profile-api-plugin';
