/** Entry module of a chart render thread (see pool.ts): answers each render request in turn. */
import { parentPort } from 'node:worker_threads';
import { answerRenderRequest } from './pool-worker.ts';

parentPort!.on('message', (request) => void answerRenderRequest(request));
