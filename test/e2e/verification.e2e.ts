/**
 * n8n's verification asks that a community package not duplicate a node of n8n itself: every node
 * type this n8n loaded (its own nodes, its AI nodes and ours) is read from the editor's node list,
 * and none but ours names one of our providers.
 */
import { PROVIDERS } from '../../scripts/lib/providers';
import { signedInRest } from './n8n';

const OUR_PACKAGE = 'n8n-nodes-survey-triggers.';

it("n8n's own node list covers none of these providers", async () => {
	const rest = await signedInRest();
	const types = await rest.call<Array<{ name: string; displayName: string }>>(
		'GET',
		'/types/nodes.json',
	);
	const ours = types.filter((type) => type.name.startsWith(OUR_PACKAGE));
	// n8n may list an action node a second time as the AI tool it makes of it ("…Tool").
	expect([...new Set(ours.map((type) => type.name.replace(/Tool$/, '')))].sort()).toEqual(
		PROVIDERS.flatMap((entry) => [
			`${OUR_PACKAGE}${entry.nodeName}`,
			...(entry.actionNode ? [`${OUR_PACKAGE}${entry.actionNode.nodeName}`] : []),
			...(entry.catchUpNode ? [`${OUR_PACKAGE}${entry.catchUpNode.nodeName}`] : []),
		]).sort(),
	);
	const theirs = types.filter((type) => !type.name.startsWith(OUR_PACKAGE));
	expect(theirs.length).toBeGreaterThan(300);
	const covering = theirs.filter((type) =>
		PROVIDERS.some((entry) =>
			new RegExp(`\\b${entry.displayName}\\b`, 'i').test(
				`${type.name.split('.').pop()} ${type.displayName}`,
			),
		),
	);
	expect(covering).toEqual([]);
});
