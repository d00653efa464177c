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
				'The secret token entered in Refiner’s webhook settings (use a long random value, e.g. 32 characters)',
		},
	];
}
