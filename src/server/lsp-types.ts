import { NotificationType, RequestType } from 'vscode-languageserver/node';
import type { NotificationSpec, RequestSpec } from '../shared/lsp-protocol.js';

/** The server library's typed notification for a message declared in lsp-protocol. */
export function notificationType<P>(spec: NotificationSpec<P>): NotificationType<P> {
  return new NotificationType<P>(spec.method);
}

/** The server library's typed request for a message declared in lsp-protocol. */
export function requestType<P, R>(spec: RequestSpec<P, R>): RequestType<P, R, void> {
  return new RequestType<P, R, void>(spec.method);
}
