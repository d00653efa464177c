import type { ICredentialType, INodeProperties } from 'n8n-workflow';

export class ScreebWebhookApi implements ICredentialType {
	name = 'screebWebhookApi';

	displayName = 'Screeb Webhook API';

	// The trigger's icon, kept once in its node folder.
	icon = {
		light: 'file:../nodes/ScreebTrigger/screeb.svg',
		dark: 'file:../nodes/ScreebTrigger/screeb.dark.svg',
	} as const;

	documentationUrl =
		'https://github.com/n8n-nodes-survey-triggers/n8n-nodes-survey-triggers#screeb';

	properties: INodeProperties[] = [
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
