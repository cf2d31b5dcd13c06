// The WebSocket protocol of /api/ws/notebooks/{id} (docs/API.md): the backend's pydantic models, published in its
// OpenAPI document and generated into @notebook-ship/api-schema, so nothing here restates a message's shape.
import type { Schema } from '@notebook-ship/api-schema';

export type ServerMessage = Schema<'ServerMessage'>;
export type ClientMessage = Schema<'ClientMessage'>;
export type CellStatus = Schema<'CellStatus'>;
export type KernelState = Schema<'Kernel'>['state'];
export type CellOutput = Schema<'Cell'>['outputs'][number];
export type TableOutput = Schema<'TableOutput'>;
export type PlotlyOutput = Schema<'PlotlyOutput'>;
export type CellError = Schema<'CellError'>;

/** A frame worth dispatching on: the server's messages are validated before they are sent, so the tag suffices. */
export function isServerMessage(value: unknown): value is ServerMessage {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}
