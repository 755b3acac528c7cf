// What the display needs before it has a screen: public, carries no fleet data.
import type { FastifyInstance } from 'fastify';

export default async function displayRoutes(app: FastifyInstance): Promise<void> {
  app.get('/api/v1/display/config', async () => ({ map_style: app.config.mapStyle }));
  app.get('/api/v1/health', async () => ({ status: 'ok' }));
}
