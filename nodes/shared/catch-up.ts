import type {
	IDataObject,
	INodeExecutionData,
	INodeProperties,
	IPollFunctions,
	IWebhookFunctions,
} from 'n8n-workflow';

import { asNodeError, type ProviderApi } from './api';
import { isObject } from './json';
import { printable } from './log';
import { recoveredItem } from './pipeline';
import { simplifyProperty } from './properties';
import { publishedFor, type PublishedRegistration } from './published';
import type { Delivery, HeaderMap, WebhookReceiver } from './types';

/**
 * The catch-up node of a provider whose delivery log keeps the events it finally failed to deliver
 * (Prolific, Cint): a polling trigger meant to sit in the same workflow as the provider's trigger,
 * wired to the same next node. Each poll reads the log of the registrations this workflow's
 * trigger recorded (published.ts, never another workflow's) and emits each finally failed event
 * once, as the trigger's item plus `recovered: true` and `failedAt`. Notices (a poll that failed at
 * the provider, a subscription re-enabled) go to the Problems output, never to Event.
 *
 * It never throws: n8n runs a poll while publishing, and a throw there fails the whole workflow's
 * activation, webhook trigger included, at publish and at every restart.
 */

/** One finally failed delivery as the provider's log gives it back. */
export interface MissedEntry {
	/** The log's id of the event. */
	id: string;
	/** When the provider gave up, or last tried (ISO 8601), where the log says. */
	failedAt?: string;
	/** The event's body as the log returns it (parsed JSON). */
	payload: unknown;
}

/** One page of a registration's log: its finally failed entries, where to read on, and whether more follow. */
export interface MissedPage {
	entries: MissedEntry[];
	/** Where the next read of this id starts; undefined: from the beginning. */
	cursor?: string;
	/** The log has more after this page. */
	more: boolean;
}

/** What a provider brings to the catch-up node. */
export interface MissedEventSource<Event = unknown> {
	/** The trigger's receiver: the recovered item is the trigger's item. */
	receiver: WebhookReceiver<Event>;
	api(ctx: IPollFunctions): Promise<ProviderApi>;
	/** Before reading a registration's log: what the provider lets the node put right, as notices. */
	upkeep?(
		ctx: IPollFunctions,
		api: ProviderApi,
		registration: PublishedRegistration,
	): Promise<string[]>;
	/** One page of finally failed deliveries of one registered id, from `cursor`. */
	page(
		ctx: IPollFunctions,
		api: ProviderApi,
		registration: PublishedRegistration,
		id: string,
		cursor: string | undefined,
		limit: number,
	): Promise<MissedPage>;
	/** The headers the trigger would have seen, as far as the log gives them back. */
	headersOf?(entry: MissedEntry): HeaderMap;
}

/** A poll's bounds: a long backlog is worked off over several polls. */
export const CATCH_UP_LIMITS = {
	/** Entries asked for per page of a log. */
	pageSize: 100,
	/** Pages read per poll, over every registered id. */
	pagesPerPoll: 20,
	/** Events emitted per poll. */
	eventsPerPoll: 1000,
	/** Event ids remembered as emitted: a log that repeats them emits nothing twice. */
	remembered: 20_000,
	/** Share of n8n's poll budget (2.x `getPollBudgetMs`) a poll uses before it stops early. */
	budgetShare: 0.8,
	/** A notice of the same kind and registration at most this often. */
	noticeEveryMs: 6 * 3600_000,
	/** Events a manual run (Fetch Test Event) shows. */
	testEvents: 5,
};

/** The catch-up node's own memory (its node static data; never the trigger's). */
interface Memory {
	/** Per registered id, where the next read starts. */
	cursors: Record<string, string>;
	/** Event ids emitted, oldest first. */
	emitted: string[];
	/** Per notice key, when it was last emitted. */
	noticed: Record<string, string>;
}

function memoryOf(ctx: IPollFunctions): Memory {
	const stored = ctx.getWorkflowStaticData('node') as IDataObject;
	if (!isObject(stored.cursors)) stored.cursors = {};
	if (!Array.isArray(stored.emitted)) stored.emitted = [];
	if (!isObject(stored.noticed)) stored.noticed = {};
	return stored as unknown as Memory;
}

/** The shaping of a recovered event reads the trigger's registration where the trigger reads its own state. */
function shapingContext(
	ctx: IPollFunctions,
	registration: PublishedRegistration,
): IWebhookFunctions {
	return {
		getNodeParameter: (name: string, fallback?: unknown) =>
			ctx.getNodeParameter(name, fallback as never),
		getWorkflowStaticData: () => registration.state,
		getNode: () => ctx.getNode(),
		getWorkflow: () => ctx.getWorkflow(),
		getMode: () => ctx.getMode(),
		logger: ctx.logger,
	} as unknown as IWebhookFunctions;
}

function itemOf(
	ctx: IPollFunctions,
	source: MissedEventSource,
	registration: PublishedRegistration,
	entry: MissedEntry,
): IDataObject {
	const body = isObject(entry.payload) ? (entry.payload as IDataObject) : {};
	const delivery: Delivery = {
		rawBody: Buffer.from(JSON.stringify(body), 'utf8'),
		headers: source.headersOf?.(entry) ?? {},
		query: {},
		params: {},
		receivedAt: new Date(),
		options: {},
	};
	const item = recoveredItem(shapingContext(ctx, registration), source.receiver, body, delivery);
	return { ...item, recovered: true, failedAt: entry.failedAt ?? null };
}

/** A notice on Problems: flat, like a problem report. */
const notice = (provider: string, problem: string, message: string): IDataObject => ({
	provider,
	problem,
	count: 1,
	firstSeenAt: new Date().toISOString(),
	lastSeenAt: new Date().toISOString(),
	reason: problem === 'catch-up-failed' ? 'the delivery log could not be read' : problem,
	message,
});

/** Whether n8n gives this poll a budget (2.x) and how much of it is left. */
function budgetOf(ctx: IPollFunctions): () => boolean {
	const started = Date.now();
	const getBudget = (ctx as unknown as { getPollBudgetMs?: () => number }).getPollBudgetMs;
	const budget = typeof getBudget === 'function' ? Number(getBudget.call(ctx)) : NaN;
	if (!Number.isFinite(budget) || budget <= 0) return () => true;
	return () => Date.now() - started < budget * CATCH_UP_LIMITS.budgetShare;
}

/**
 * One poll: every registered id's log from its cursor, within the bounds; each finally failed
 * event not emitted before, once. Returns null when there is nothing to emit (n8n then starts no
 * run and keeps the memory as it was).
 */
export async function pollMissedEvents(
	ctx: IPollFunctions,
	source: MissedEventSource,
): Promise<INodeExecutionData[][] | null> {
	const provider = source.receiver.provider;
	const name = source.receiver.displayName;
	const registrations = publishedFor(ctx, provider);
	const manual = ctx.getMode() === 'manual';
	if (!registrations.length) {
		const message = `No published ${name} Trigger found in this workflow yet: this node reads the delivery log of what the workflow's ${name} Trigger registered when it was published. Publish the workflow with its ${name} Trigger (activate it on n8n 1.x); right after a first publish the next poll finds it, and on n8n 1.x a manual run cannot see what was published.`;
		if (manual)
			return [[], ctx.helpers.returnJsonArray([notice(provider, 'not-published', message)])];
		ctx.logger.info(
			`${name} Missed Events in workflow "${ctx.getWorkflow().name ?? ''}": ${message}`,
		);
		return null;
	}
	const memory = memoryOf(ctx);
	const emitted = new Set(memory.emitted);
	const events: IDataObject[] = [];
	const notices: IDataObject[] = [];
	const withinBudget = budgetOf(ctx);
	const maxEvents = manual ? CATCH_UP_LIMITS.testEvents : CATCH_UP_LIMITS.eventsPerPoll;
	let pages = 0;
	const noticeOnce = (key: string, problem: string, message: string) => {
		const last = Date.parse(memory.noticed[key] ?? '');
		if (!manual && Date.now() - last < CATCH_UP_LIMITS.noticeEveryMs) return;
		if (!manual) memory.noticed[key] = new Date().toISOString();
		notices.push(notice(provider, problem, message));
	};

	for (const registration of registrations) {
		let api: ProviderApi | undefined;
		try {
			api = await source.api(ctx);
			if (!manual && source.upkeep)
				for (const message of await source.upkeep(ctx, api, registration))
					notices.push(notice(provider, 'subscription-enabled', message));
			for (const id of registration.ids) {
				let cursor = manual ? undefined : memory.cursors[id];
				let more = true;
				while (
					more &&
					events.length < maxEvents &&
					pages < CATCH_UP_LIMITS.pagesPerPoll &&
					withinBudget()
				) {
					const page = await source.page(
						ctx,
						api,
						registration,
						id,
						cursor,
						CATCH_UP_LIMITS.pageSize,
					);
					pages++;
					const fresh = [...page.entries]
						.filter((entry) => !emitted.has(entry.id))
						.sort((a, b) => (a.failedAt ?? '').localeCompare(b.failedAt ?? ''));
					for (const entry of fresh) {
						if (events.length >= maxEvents) break;
						events.push(itemOf(ctx, source, registration, entry));
						emitted.add(entry.id);
						if (!manual) memory.emitted.push(entry.id);
					}
					// A page cut short by the event bound is read again next time (its emitted entries are skipped).
					if (
						events.length >= maxEvents &&
						fresh.length &&
						!emitted.has(fresh[fresh.length - 1].id)
					)
						break;
					cursor = page.cursor;
					more = page.more;
				}
				if (!manual) {
					if (cursor === undefined) delete memory.cursors[id];
					else memory.cursors[id] = cursor;
				}
			}
		} catch (error) {
			const reason = printable(asNodeError(ctx, error).message, 300);
			noticeOnce(
				`failed\n${registration.node}`,
				'catch-up-failed',
				`${name} Missed Events could not read the delivery log of "${registration.node}": ${reason}. The next poll tries again; nothing is lost while ${name} keeps its log.`,
			);
		}
	}
	if (manual && !events.length && !notices.length)
		notices.push(
			notice(
				provider,
				'nothing-missed',
				`${name} reports no finally failed deliveries for this workflow's ${name} Trigger right now.`,
			),
		);
	if (memory.emitted.length > CATCH_UP_LIMITS.remembered)
		memory.emitted.splice(0, memory.emitted.length - CATCH_UP_LIMITS.remembered);
	if (!events.length && !notices.length) return null;
	return [ctx.helpers.returnJsonArray(events), ctx.helpers.returnJsonArray(notices)];
}

/** The catch-up node's parameters: what it does, in the user's words, and Simplify as on the trigger. */
export function missedEventsProperties(provider: string, triggerLoss: string): INodeProperties[] {
	return [
		{
			displayName: `Put this node in the same workflow as the <b>${provider} Trigger</b> and connect it to the same next node. Each poll reads ${provider}’s delivery log of the subscriptions that trigger registered when the workflow was published, and runs every event ${provider} gave up delivering (${triggerLoss}) once, as the trigger’s item with <code>recovered: true</code>. To drop an event both nodes bring, add Remove Duplicates on <code>{{ $json.eventId }}</code>. Notices go to <b>Problems</b>.`,
			name: 'catchUpNotice',
			type: 'notice',
			default: '',
		},
		simplifyProperty,
	];
}
