import type { ICredentialType, INodeProperties } from 'n8n-workflow';

export class ScreebWebhookApi implements ICredentialType {
	name = 'screebWebhookApi';

	displayName = 'Screeb Webhook API';

	// The trigger's icon, kept once in its node folder.
	icon = {
		light: 'file:../nodes/Screeb/screeb.svg',
		dark: 'file:../nodes/Screeb/screeb.dark.svg',
	} as const;

	documentationUrl = 'https://www.npmjs.com/package/n8n-nodes-survey-triggers#screeb';

	properties: INodeProperties[] = [
		{
			// n8n shows only "Connection tested successfully" after a passing test, so this says it here.
			displayName:
				'Only a delivery can prove this secret right: <b>Test</b> checks its form, not whether it matches. A wrong secret shows on the trigger’s <b>Problems</b> output when the next delivery is refused.',
			name: 'checkNotice',
			type: 'notice',
			default: '',
		},
		{
			displayName: 'Webhook Secret',
			name: 'secret',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description: 'The secret Screeb shows in the webhook settings; it signs every delivery',
		},
	];
}
