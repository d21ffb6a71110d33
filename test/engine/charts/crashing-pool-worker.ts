/** A chart render thread that dies on a spec whose setup is "CRASH" (for the pool's crash handling), else renders. */
import { parentPort } from 'node:worker_threads';
import { answerRenderRequest } from '../../../src/engine/charts/pool-worker.ts';
import type { RenderRequest } from '../../../src/engine/charts/pool-protocol.ts';

parentPort!.on('message', (request: RenderRequest) => {
  if (request.kind === 'signal' && request.spec.title.setup === 'CRASH') throw new Error('simulated crash in the render thread');
  void answerRenderRequest(request);
});
