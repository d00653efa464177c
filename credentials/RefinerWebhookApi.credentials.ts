import type { ICredentialType, INodeProperties } from 'n8n-workflow';

export class RefinerWebhookApi implements ICredentialType {
	name = 'refinerWebhookApi';

	displayName = 'Refiner Webhook API';

	// The trigger's icon, kept once in its node folder.
	icon = {
		light: 'file:../nodes/Refiner/refiner.svg',
		dark: 'file:../nodes/Refiner/refiner.dark.svg',
	} as const;

	documentationUrl = 'https://www.npmjs.com/package/n8n-nodes-survey-triggers#refiner';

	properties: INodeProperties[] = [
		{
			// n8n shows only "Connection tested successfully" after a passing test, so this says it here.
			displayName:
				'Only a delivery can prove this secret token right: <b>Test</b> checks its form, not whether it matches. A wrong secret token shows on the trigger’s <b>Problems</b> output when the next delivery is refused.',
			name: 'checkNotice',
			type: 'notice',
			default: '',
		},
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
