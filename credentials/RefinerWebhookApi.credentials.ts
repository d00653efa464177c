import type { ICredentialType, INodeProperties } from 'n8n-workflow';

export class RefinerWebhookApi implements ICredentialType {
	name = 'refinerWebhookApi';

	displayName = 'Refiner Webhook API';

	// The trigger's icon, kept once in its node folder.
	icon = {
		light: 'file:../nodes/RefinerTrigger/refiner.svg',
		dark: 'file:../nodes/RefinerTrigger/refiner.dark.svg',
	} as const;

	documentationUrl =
		'https://github.com/n8n-nodes-survey-triggers/n8n-nodes-survey-triggers#refiner';

	properties: INodeProperties[] = [
		{
			displayName: 'Secret Token',
			name: 'secretToken',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description:
				'You make this one up: a random value of at least 16 characters (32 letters and digits from a password manager is good). Enter the same value as the secret token of the webhook in Refiner › Integrations › Webhooks.',
		},
	];
}
