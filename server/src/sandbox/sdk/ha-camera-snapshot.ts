import { z } from 'zod';
import { SdkError } from '../errors.ts';
import { formatBytes } from '../limits.ts';
import { EntityId } from '../schemas.ts';
import { defineSdk } from './define.ts';

export const haCameraSnapshot = defineSdk({
  name: 'ha.cameraSnapshot',
  path: 'ha.cameraSnapshot',
  aliases: ['ha.camera_snapshot'],
  scope: 'ha:camera',
  mode: 'async',
  heavy: true,
  args: z.tuple([EntityId.refine((id) => id.startsWith('camera.'), 'a camera entity such as camera.front_door')]),
  doc: {
    signature: 'agent.ha.cameraSnapshot(cameraEntityId)',
    returns: 'a promise of { contentType, dataBase64 }',
    description: 'Takes a still image from a Home Assistant camera; pass it to agent.llm.chat(prompt, { images: [snapshot] }) to describe it.',
    example: "const img = await agent.ha.cameraSnapshot('camera.front_door');\nconst said = await agent.llm.chat('Who is at the door?', { images: [img] });",
  },
  async run(ctx, [entityId]) {
    const snap = await ctx.host.haCameraSnapshot(entityId, ctx.signal);
    if (snap.dataBase64.length > ctx.limits.maxCallBytes) throw new SdkError(`agent.ha.cameraSnapshot: the image is ${formatBytes(snap.dataBase64.length)}, over the ${formatBytes(ctx.limits.maxCallBytes)} limit`);
    return { contentType: snap.contentType, dataBase64: snap.dataBase64 };
  },
});
