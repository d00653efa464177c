import type { IDataObject, IHookFunctions } from 'n8n-workflow';

import { asNodeError, type ApiContext, type ProviderApi } from './api';
import { printable } from './log';
import { DELIVERY_REPORT_FIELD, type DeliveryReport } from './problems';
import { assertReachable, unreachableFor } from './reachable';
import { isSealed, openSealed, sealWith, type SealKey } from './sealed';
import { clearState, nodeState, ownedState, saveState } from './state';
import { forgetPublished, recordPublished } from './published';

/**
 * What checkExists found at the provider: the registration is in place as stored (`keep`), in
 * place with a state to store instead (`{ store }`), or not usable (`register`: n8n calls create).
 */
export type Repair<State> = 'keep' | { store: State } | 'register';

/** What every registration stores (node static data): the URL it was made for. */
export interface StoredRegistration {
	webhookUrl: string;
}

/**
 * The API calls of a provider whose webhooks are registered through its API. The lifecycle around
 * them (`webhookLifecycle`) is the same for every such trigger.
 */
export interface ProviderRegistration<
	State extends StoredRegistration,
	Api extends ProviderApi = ProviderApi,
> {
	/** How the provider's API is reached with the node's credential. */
	api(ctx: ApiContext): Promise<Api>;
	/** The provider delivers only to https URLs (Prolific documents it). */
	httpsOnly?: boolean;
	/**
	 * For checkExists: whether the provider delivers what the node wants to this URL, with the
	 * secret the node holds. What the provider lets the trigger put right in place (events,
	 * settings, a lost secret) is put right first.
	 */
	repair(
		ctx: IHookFunctions,
		api: Api,
		webhookUrl: string,
		stored: Partial<State>,
	): Promise<Repair<State>>;
	/**
	 * For create: registers this URL, reusing what the provider still has for it where it can and
	 * removing the rest. `created` records how to remove each thing it created, so that a failure
	 * leaves nothing behind.
	 */
	register(ctx: IHookFunctions, api: Api, webhookUrl: string, created: Rollback): Promise<State>;
	/** For delete: the ids the state records. */
	storedIds(stored: Partial<State>): string[];
	/** For delete: the ids of every registration the provider has for this URL. */
	registeredIds(
		ctx: IHookFunctions,
		api: Api,
		webhookUrl: string,
		stored: Partial<State> | undefined,
	): Promise<string[]>;
	/** Removes one registration; one that is already gone counts as removed. */
	remove(ctx: IHookFunctions, api: Api, id: string): Promise<unknown>;
	/**
	 * State fields that hold a signing secret: stored sealed with a secret field of the credential
	 * (sealed.ts), handed to `repair` opened — or left out when they cannot be opened any more, so
	 * that `repair` gets a new secret.
	 */
	sealed?: { fields: ReadonlyArray<keyof State & string>; key: SealKey };
	/**
	 * On every publish, once the registration is in place: how many deliveries to this URL the
	 * provider reports as failed (undelivered), with plain words for the user, or undefined when
	 * all is well. Never a secret or a payload. A failure to read it is logged, never raised.
	 */
	deliveryHealth?(
		ctx: IHookFunctions,
		api: Api,
		state: Partial<State>,
	): Promise<{ failed: number; message: string } | undefined>;
}

/** Records what a `register` call created: a name for messages and how to remove it. */
export type Rollback = (what: string, remove: () => Promise<unknown>) => void;

/**
 * n8n's webhook lifecycle for a trigger that registers with its provider, with one meaning per hook:
 * Before any call to the provider, checkExists and create refuse a webhook URL the provider cannot
 * reach (reachable.ts).
 * - checkExists (on publish, and for "Listen for test event"): true when the registration for
 *   this URL is in place or was put right in place; false makes n8n call create.
 * - create: registers; on failure what this call created is removed again before the error is
 *   raised, so n8n's retries never pile up registrations at the provider.
 * - delete (on unpublish): removes the stored registration and any other the provider has for
 *   this URL, then forgets it. The test URL and the production URL are separate registrations:
 *   removing one keeps the other's state.
 */
export function webhookLifecycle<State extends StoredRegistration, Api extends ProviderApi>(
	registration: ProviderRegistration<State, Api>,
) {
	const webhookUrlOf = (ctx: IHookFunctions) => ctx.getNodeWebhookUrl('default') as string;
	const { sealed } = registration;

	/** The stored state with its secrets opened; `inTheClear` when an older version stored one unsealed. */
	async function opened(
		ctx: IHookFunctions,
	): Promise<{ state: Partial<State>; inTheClear: boolean }> {
		const state: Partial<State> = { ...nodeState<State>(ctx) };
		let inTheClear = false;
		for (const field of sealed?.fields ?? []) {
			const value = state[field];
			if (typeof value !== 'string' || value === '') continue;
			if (!isSealed(value)) {
				inTheClear = true;
				continue;
			}
			const plaintext = await openSealed(ctx, value, sealed!.key);
			if (plaintext === undefined) delete state[field];
			else state[field] = plaintext as State[typeof field];
		}
		return { state, inTheClear };
	}

	/** Stores a state, its secrets sealed. */
	async function store(ctx: IHookFunctions, state: State): Promise<void> {
		const toStore = { ...state };
		for (const field of sealed?.fields ?? []) {
			const value = toStore[field];
			if (typeof value === 'string' && value !== '')
				toStore[field] = (await sealWith(ctx, value, sealed!.key)) as State[typeof field];
		}
		saveState<State>(ctx, toStore);
	}

	/**
	 * The provider's view of its deliveries: one warning line of n8n's log, and a reading in the
	 * node's static data that the next delivery reports on the Problems output (problems.ts) — a
	 * publish cannot start a run. Written once per publish, never per request.
	 */
	async function reportHealth(ctx: IHookFunctions, api: Api, state: Partial<State>): Promise<void> {
		if (!registration.deliveryHealth) return;
		const workflow = ctx.getWorkflow();
		const trigger = `${api.displayName} Trigger "${ctx.getNode().name}" in workflow "${workflow.name ?? ''}" (${workflow.id ?? ''})`;
		const stored = ctx.getWorkflowStaticData('node') as IDataObject;
		try {
			const report = await registration.deliveryHealth(ctx, api, state);
			if (!report) {
				delete stored[DELIVERY_REPORT_FIELD];
				return;
			}
			const message = printable(report.message, 1000);
			ctx.logger.warn(`${trigger}: ${message}`);
			const reading: DeliveryReport = {
				failed: report.failed,
				message,
				readAt: new Date().toISOString(),
			};
			stored[DELIVERY_REPORT_FIELD] = reading as unknown as IDataObject;
		} catch (error) {
			ctx.logger.warn(
				`${trigger} could not read the delivery history from ${api.displayName}: ${printable(asNodeError(ctx, error).message, 300)}`,
			);
		}
	}

	/** What the workflow's catch-up node reads of this registration (published.ts), without its secrets. */
	function publish(ctx: IHookFunctions, api: Api, state: Partial<State>): void {
		const visible: IDataObject = {};
		for (const [key, value] of Object.entries(state))
			if (!(sealed?.fields ?? []).includes(key as keyof State & string))
				visible[key] = value as IDataObject[string];
		recordPublished(ctx, {
			provider: api.displayName.toLowerCase(),
			ids: registration.storedIds(state),
			state: visible,
		});
	}

	return {
		async checkExists(this: IHookFunctions): Promise<boolean> {
			const webhookUrl = webhookUrlOf(this);
			const api = await registration.api(this);
			assertReachable(this, { ...api, httpsOnly: registration.httpsOnly }, webhookUrl);
			const { state, inTheClear } = await opened(this);
			const outcome = await registration.repair(this, api, webhookUrl, state);
			if (outcome === 'register') return false;
			if (outcome !== 'keep') await store(this, outcome.store);
			// A registration stored by an older version, in the clear, is sealed on its next publish.
			else if (inTheClear) await store(this, state as State);
			const inPlace = outcome === 'keep' ? state : outcome.store;
			publish(this, api, inPlace);
			await reportHealth(this, api, inPlace);
			return true;
		},

		async create(this: IHookFunctions): Promise<boolean> {
			const webhookUrl = webhookUrlOf(this);
			const api = await registration.api(this);
			assertReachable(this, { ...api, httpsOnly: registration.httpsOnly }, webhookUrl);
			const created: Array<{ what: string; remove: () => Promise<unknown> }> = [];
			let state: State;
			try {
				state = await registration.register(this, api, webhookUrl, (what, remove) =>
					created.push({ what, remove }),
				);
				await store(this, state);
			} catch (error) {
				for (const { what, remove } of created.reverse()) {
					await remove().catch((cleanupError: Error) =>
						this.logger.warn(
							`${api.displayName} Trigger could not remove ${printable(what)} after a failed publish: ${printable(asNodeError(this, cleanupError).message, 300)}`,
						),
					);
				}
				throw asNodeError(this, error);
			}
			publish(this, api, state);
			await reportHealth(this, api, state);
			return true;
		},

		async delete(this: IHookFunctions): Promise<boolean> {
			const webhookUrl = webhookUrlOf(this);
			const stored = ownedState<State>(this, webhookUrl);
			const api = await registration.api(this);
			const ids = new Set(stored ? registration.storedIds(stored) : []);
			// n8n 1.x calls delete after a publish refused for an unreachable URL: nothing was
			// registered, and asking the provider would only repeat the refusal's cause.
			if (
				ids.size === 0 &&
				unreachableFor({ ...api, httpsOnly: registration.httpsOnly }, webhookUrl)
			)
				return true;
			for (const id of await registration.registeredIds(this, api, webhookUrl, stored)) ids.add(id);
			for (const id of ids) await registration.remove(this, api, id);
			if (stored) clearState(this);
			forgetPublished(this, webhookUrl);
			return true;
		},
	};
}

/**
 * The lifecycle of a trigger whose webhook the user pastes into the provider's dashboard: there is
 * nothing to register, check or remove at the provider.
 */
export const dashboardLifecycle = {
	checkExists: async (): Promise<boolean> => true,
	create: async (): Promise<boolean> => true,
	delete: async (): Promise<boolean> => true,
};
