import type { IDataObject, IHookFunctions, IWebhookFunctions } from 'n8n-workflow';

/**
 * The node's static data, typed. Only write-once registration data lives here (remote ids, the
 * signing secret): written in `create`, cleared in `delete`, read on every delivery. n8n reloads it
 * from the database per production request, so every webhook process sees the same values.
 */
export function nodeState<State extends object>(
	ctx: IHookFunctions | IWebhookFunctions,
): Partial<State> {
	return ctx.getWorkflowStaticData('node') as Partial<State>;
}

/** Replaces the stored registration (mutating the object n8n persists). */
export function saveState<State extends object>(ctx: IHookFunctions, state: State): void {
	const stored = ctx.getWorkflowStaticData('node') as IDataObject;
	for (const key of Object.keys(stored)) delete stored[key];
	Object.assign(stored, state);
}

/**
 * The stored registration when it belongs to this webhook URL (or records none), else undefined:
 * "Listen for test event" and the published workflow register different URLs, and removing one
 * must not forget the other.
 */
export function ownedState<State extends { webhookUrl: string }>(
	ctx: IHookFunctions,
	webhookUrl: string,
): Partial<State> | undefined {
	const state = nodeState<State>(ctx);
	return !state.webhookUrl || state.webhookUrl === webhookUrl ? state : undefined;
}

/**
 * Names the registration a delivery belongs to, for memory kept per registration (replays, resends,
 * a replaced secret): the webhook URL stored at registration names the node; workflow id and node
 * name stand in when none is stored (n8n's getNode() deep-copies the node, so it is read only
 * then). Deliveries to n8n's test URL ("Listen for test event") are kept apart: a provider sends
 * the same event, even the same signed bytes, to the test and the production URL, and the test
 * copy must not make production ignore its own.
 */
export function registrationScope(ctx: IWebhookFunctions): string {
	const { webhookUrl } = nodeState<{ webhookUrl: string }>(ctx);
	const scope =
		typeof webhookUrl === 'string' && webhookUrl
			? webhookUrl
			: `${ctx.getWorkflow().id ?? ''}\n${ctx.getNode().name}`;
	return ctx.getMode() === 'manual' ? `test\n${scope}` : scope;
}

export function clearState(ctx: IHookFunctions): void {
	saveState(ctx, {});
}
