import type { IDataObject, IWebhookFunctions } from 'n8n-workflow';

import { printable } from './log';
import { nodeState } from './state';

/**
 * Problems the user sees in n8n (the trigger's Problems output) rather than in the server log:
 * refused deliveries, the provider's own count of failed deliveries, and (when asked for) events
 * not selected. In production they are counted in this process's memory per trigger and kind, and
 * reported at most once per kind and window: the first problem of a quiet trigger starts a report
 * at once; what follows within the window is counted, and the next delivery after the window that
 * runs nothing on Event (a refusal, an ignored event, a resend) carries the count: a run carries an
 * event or reports, never both, so that Problems → Stop and Error fails only runs without an event.
 * Counts are lost when n8n restarts, and every webhook process counts its own deliveries. Nothing is
 * written to static data per request.
 */
export type ProblemKind =
	| 'authentication'
	/** What version 1 of the triggers calls `authentication`. */
	| 'signature'
	| 'timestamp'
	| 'body'
	| 'setup'
	| 'internal'
	| 'not-selected'
	| 'provider-failures';

/** What a declined delivery tells a report (refusal.ts's Declined, without the message thunk's context). */
export interface ProblemEvent {
	kind: ProblemKind;
	/** Which check within the kind (a missing header, a signature that does not match, …). */
	check?: string;
	status?: number;
	reason: string;
	message: () => string;
	eventType?: string;
}

/** The trigger's reporting settings: Report Problems, Options › Problem Report Window and Report Unselected Events. */
export interface ProblemSettings {
	on: boolean;
	windowMs: number;
	unselected: boolean;
}

export const PROBLEM_WINDOW_MINUTES = { default: 10, min: 1, max: 1440 };

/** The verification checks (types.ts RefusalCheck) and other refusals, by the kind a user reads. */
const KIND_OF_CHECK: Record<string, ProblemKind> = {
	mismatch: 'authentication',
	missing: 'authentication',
	malformed: 'authentication',
	stale: 'timestamp',
	future: 'timestamp',
	setup: 'setup',
	body: 'body',
	internal: 'internal',
	'not-selected': 'not-selected',
};

/**
 * The kind of a declined delivery's check, or undefined for normal traffic (a resend, a replay).
 * A wrong signature and a wrong token are both `authentication`; a node of type version 1 keeps
 * the name its items had, `signature`.
 */
export function problemKindOf(check: string, typeVersion = 2): ProblemKind | undefined {
	if (!Object.prototype.hasOwnProperty.call(KIND_OF_CHECK, check)) return undefined;
	const kind = KIND_OF_CHECK[check];
	return kind === 'authentication' && typeVersion < 2 ? 'signature' : kind;
}

/** The settings in a delivery's Options (read once per delivery already). */
export function problemSettings(options: {
	reportProblems?: boolean;
	problemWindow?: number;
	reportUnselected?: boolean;
}): ProblemSettings {
	const minutes = Number(options.problemWindow ?? PROBLEM_WINDOW_MINUTES.default);
	const bounded = Number.isFinite(minutes)
		? Math.min(Math.max(minutes, PROBLEM_WINDOW_MINUTES.min), PROBLEM_WINDOW_MINUTES.max)
		: PROBLEM_WINDOW_MINUTES.default;
	return {
		on: options.reportProblems !== false,
		windowMs: bounded * 60_000,
		unselected: options.reportUnselected === true,
	};
}

interface Tally {
	/** Problems since the last report. */
	count: number;
	firstSeenMs: number;
	lastSeenMs: number;
	reportedAtMs?: number;
	/** Of the first problem since the last report. */
	status?: number;
	eventType?: string;
	/**
	 * Per check, in the order first seen: how many, and the words of its first one (made once per
	 * check and window). Counted apart so that a flood of cheap forgeries of one check (a missing
	 * header) cannot hide another (a signature that does not match: a wrong secret).
	 */
	checks: Map<string, { count: number; reason: string; message: string }>;
}

/** Per trigger (its registration scope, state.ts), per kind. Triggers are few; the bound is for safety. */
const tallies = new Map<string, Map<ProblemKind, Tally>>();
const MAX_TRIGGERS = 10_000;

/** What the node's static data records of the provider's failed deliveries (registration.ts, on publish). */
export interface DeliveryReport {
	failed: number;
	message: string;
	readAt: string;
}
export const DELIVERY_REPORT_FIELD = 'deliveryReport';
/** Per trigger: the reading of the provider's failures this process already reported. */
const reportedReadings = new Map<string, string>();

/**
 * One report item: flat, so that it goes to a sheet or a chat message as it is. With several checks
 * in its window, `reason` names each and `message` has a line for each, with its count; `checks`
 * counts them by name.
 */
function reportItem(provider: string, kind: ProblemKind, tally: Tally, windowMs?: number) {
	const checks = [...tally.checks.entries()];
	const single = checks.length === 1 ? checks[0][1] : undefined;
	return {
		provider,
		problem: kind,
		count: tally.count,
		firstSeenAt: new Date(tally.firstSeenMs).toISOString(),
		lastSeenAt: new Date(tally.lastSeenMs).toISOString(),
		...(tally.status !== undefined ? { status: tally.status } : {}),
		reason: single ? single.reason : checks.map(([, check]) => check.reason).join('; '),
		message: single
			? single.message
			: checks.map(([, check]) => `${check.count} × ${check.reason}: ${check.message}`).join('\n'),
		checks: Object.fromEntries(checks.map(([name, check]) => [name, check.count])),
		...(tally.eventType !== undefined ? { eventType: tally.eventType } : {}),
		...(windowMs !== undefined ? { reportWindowMinutes: windowMs / 60_000 } : {}),
	};
}

/** The item shown while listening for a test event: one problem, reported at once. */
export function problemItem(provider: string, problem: ProblemEvent, atMs: number): IDataObject {
	return reportItem(provider, problem.kind, tallyOf(problem, atMs));
}

const checkOf = (problem: ProblemEvent) => problem.check ?? problem.kind;

function tallyOf(problem: ProblemEvent, atMs: number): Tally {
	return {
		count: 1,
		firstSeenMs: atMs,
		lastSeenMs: atMs,
		status: problem.status,
		eventType: problem.eventType !== undefined ? printable(problem.eventType) : undefined,
		checks: new Map([
			[checkOf(problem), { count: 1, reason: problem.reason, message: problem.message() }],
		]),
	};
}

/** Counts one more problem of a kind already counted in this window. */
function countAgain(tally: Tally, problem: ProblemEvent, atMs: number): void {
	tally.count++;
	tally.lastSeenMs = atMs;
	const check = tally.checks.get(checkOf(problem));
	if (check) check.count++;
	else
		tally.checks.set(checkOf(problem), {
			count: 1,
			reason: problem.reason,
			message: problem.message(),
		});
}

/**
 * Counts one production problem of a trigger; returns the reports due now (this one's kind at
 * once when its window is over, and every other kind whose window is over with something counted).
 */
export function noteProblem(
	scope: string,
	provider: string,
	problem: ProblemEvent,
	settings: ProblemSettings,
	nowMs: number,
): IDataObject[] {
	if (!settings.on) return [];
	if (problem.kind === 'not-selected' && !settings.unselected)
		return dueReports(scope, provider, settings, nowMs);
	let kinds = tallies.get(scope);
	if (!kinds) {
		if (tallies.size >= MAX_TRIGGERS) tallies.delete(tallies.keys().next().value as string);
		kinds = new Map();
		tallies.set(scope, kinds);
	}
	const tally = kinds.get(problem.kind);
	if (!tally) kinds.set(problem.kind, tallyOf(problem, nowMs));
	else if (tally.count === 0) {
		const fresh = tallyOf(problem, nowMs);
		fresh.reportedAtMs = tally.reportedAtMs;
		kinds.set(problem.kind, fresh);
	} else {
		countAgain(tally, problem, nowMs);
	}
	return dueReports(scope, provider, settings, nowMs);
}

/** The reports due for a trigger now; each one reported starts a new window for its kind. */
export function dueReports(
	scope: string,
	provider: string,
	settings: ProblemSettings,
	nowMs: number,
): IDataObject[] {
	if (!settings.on) return [];
	const kinds = tallies.get(scope);
	if (!kinds) return [];
	const due: IDataObject[] = [];
	for (const [kind, tally] of kinds) {
		if (tally.count === 0) continue;
		if (tally.reportedAtMs !== undefined && nowMs - tally.reportedAtMs < settings.windowMs)
			continue;
		due.push(reportItem(provider, kind, tally, settings.windowMs));
		tally.count = 0;
		tally.reportedAtMs = nowMs;
	}
	return due;
}

/**
 * Every report due for a trigger in production, with a delivery: the problem it brings counted
 * first. Without a problem and with nothing counted or read, it costs two lookups.
 */
export function reportsDue(
	ctx: IWebhookFunctions,
	scope: string,
	provider: string,
	settings: ProblemSettings,
	nowMs: number,
	problem?: ProblemEvent,
): IDataObject[] {
	if (!settings.on) return [];
	const counted = problem
		? noteProblem(scope, provider, problem, settings, nowMs)
		: dueReports(scope, provider, settings, nowMs);
	return [...counted, ...providerReport(ctx, scope, provider, settings)];
}

/**
 * The provider's failed deliveries read on publish (static data), once per reading and process:
 * they go out with the next delivery that runs nothing on Event, since a publish cannot start a
 * run. A count, not an alert: the events themselves are not recovered here.
 */
export function providerReport(
	ctx: IWebhookFunctions,
	scope: string,
	provider: string,
	settings: ProblemSettings,
): IDataObject[] {
	if (!settings.on) return [];
	const stored = (nodeState<Record<string, DeliveryReport>>(ctx) as IDataObject)[
		DELIVERY_REPORT_FIELD
	] as DeliveryReport | undefined;
	if (!stored || typeof stored !== 'object' || reportedReadings.get(scope) === stored.readAt)
		return [];
	if (!reportedReadings.has(scope) && reportedReadings.size >= MAX_TRIGGERS)
		reportedReadings.delete(reportedReadings.keys().next().value as string);
	reportedReadings.set(scope, stored.readAt);
	const at = Date.parse(stored.readAt);
	return [
		{
			provider,
			problem: 'provider-failures',
			count: Number(stored.failed) || 0,
			firstSeenAt: stored.readAt,
			lastSeenAt: Number.isNaN(at) ? stored.readAt : new Date(at).toISOString(),
			reason: 'the provider reports deliveries that failed',
			message: printable(String(stored.message), 1000),
			reportWindowMinutes: settings.windowMs / 60_000,
		},
	];
}
