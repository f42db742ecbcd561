import Fastify from 'fastify';
import { createCors } from './cors';

async function appWith(origins: '*' | string[]) {
  const cors = createCors(origins);
  const app = Fastify();
  app.options('/v1/*', (request, reply) => cors.preflight(request, reply));
  app.post('/v1/x', (request, reply) => {
    cors.decorate(request, reply);
    return reply.send({ ok: true });
  });
  await app.ready();
  return app;
}

describe('ingest CORS', () => {
  it('allows any origin with *', async () => {
    const app = await appWith('*');
    const res = await app.inject({ method: 'POST', url: '/v1/x', headers: { origin: 'https://a.example' } });
    expect(res.headers['access-control-allow-origin']).toBe('*');
  });

  it('reflects only listed origins, with Vary: Origin', async () => {
    const app = await appWith(['https://shop.example']);
    const ok = await app.inject({
      method: 'OPTIONS',
      url: '/v1/batch',
      headers: { origin: 'https://shop.example' },
    });
    expect(ok.statusCode).toBe(204);
    expect(ok.headers['access-control-allow-origin']).toBe('https://shop.example');
    expect(ok.headers.vary).toBe('Origin');
    const other = await app.inject({
      method: 'POST',
      url: '/v1/x',
      headers: { origin: 'https://evil.example' },
    });
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });
});
