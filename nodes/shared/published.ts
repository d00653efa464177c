import type { IDataObject, IHookFunctions, IPollFunctions } from 'n8n-workflow';

/**
 * What a published trigger tells the other nodes of its workflow about its registration at the
 * provider: kept in the workflow's global static data, under the trigger's node name, so that the
 * provider's catch-up node (catch-up.ts) reads the subscriptions or webhook that this workflow
 * registered and no other. Node static data is each node's own; global static data is the
 * workflow's. Never a secret: the registration's sealed fields stay in the trigger's node data.
 * Written on publish (not for the editor's test URL), removed on unpublish.
 */
export interface PublishedRegistration {
	/** The provider, as receivers name it (`prolific`, `cint`). */
	provider: string;
	/** The trigger node's name. */
	node: string;
	/** The ids of what is registered (Prolific subscriptions, a Cint webhook). */
	ids: string[];
	/** The production URL the provider delivers to. */
	webhookUrl: string;
	/** When this publish found or made the registration. */
	publishedAt: string;
	/** The rest of the trigger's stored registration, without its secrets (e.g. Prolific's workspace). */
	state: IDataObject;
}

export const PUBLISHED_FIELD = 'surveyTriggerRegistrations';

function publishedMap(ctx: IHookFunctions | IPollFunctions): IDataObject {
	const global = ctx.getWorkflowStaticData('global');
	const map = global[PUBLISHED_FIELD];
	if (map && typeof map === 'object' && !Array.isArray(map)) return map as IDataObject;
	global[PUBLISHED_FIELD] = {};
	return global[PUBLISHED_FIELD] as IDataObject;
}

/** Whether n8n registers the editor's test URL now (a test registration is nobody's to catch up on). */
const isTest = (ctx: IHookFunctions, webhookUrl: string) =>
	ctx.getActivationMode() === 'manual' || webhookUrl.includes('/webhook-test/');

export function recordPublished(
	ctx: IHookFunctions,
	registration: Pick<PublishedRegistration, 'provider' | 'ids' | 'state'>,
): void {
	const webhookUrl = ctx.getNodeWebhookUrl('default') as string;
	if (isTest(ctx, webhookUrl)) return;
	const node = ctx.getNode().name;
	const entry: PublishedRegistration = {
		...registration,
		node,
		webhookUrl,
		publishedAt: new Date().toISOString(),
	};
	publishedMap(ctx)[node] = entry as unknown as IDataObject;
}

export function forgetPublished(ctx: IHookFunctions, webhookUrl: string): void {
	if (isTest(ctx, webhookUrl)) return;
	const map = publishedMap(ctx);
	const node = ctx.getNode().name;
	if ((map[node] as PublishedRegistration | undefined)?.webhookUrl === webhookUrl) delete map[node];
}

/** This workflow's published registrations with one provider. */
export function publishedFor(ctx: IPollFunctions, provider: string): PublishedRegistration[] {
	return Object.values(publishedMap(ctx)).filter(
		(entry): entry is PublishedRegistration & IDataObject =>
			!!entry &&
			typeof entry === 'object' &&
			(entry as unknown as PublishedRegistration).provider === provider &&
			Array.isArray((entry as unknown as PublishedRegistration).ids),
	) as unknown as PublishedRegistration[];
}
