import Fastify, { type FastifyInstance } from 'fastify';
import { type ProfileApiConfigInput, parseProfileApiConfig } from './profile-api-config';
import { type ProfileApiDeps, profileApiPlugin } from './profile-api-plugin';

/**
 * Creates the Profile API as its own Fastify app, not yet listening. Throws `ProfileApiConfigError`
 * when the configuration is invalid. To serve it next to the collector, register `profileApiPlugin`.
 */
export function createProfileApi(
  input: ProfileApiConfigInput,
  deps: ProfileApiDeps,
  options: { readonly logger?: boolean } = {},
): FastifyInstance {
  const config = parseProfileApiConfig(input);
  const app = Fastify({ logger: options.logger ?? false, return503OnClosing: true });
  app.register(profileApiPlugin, { config, deps });
  app.setNotFoundHandler((request, reply) =>
    reply
      .code(404)
      .send({ error: 'not_found', message: `no route ${request.method} ${request.url.split('?')[0]}` }),
  );
  return app;
}
