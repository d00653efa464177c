/**
 * How to test without touching the production webhook; the panel, the setup notice, README and
 * docs/providers.md give these words exactly (test/editor-texts.test.ts checks it).
 */
export const REFINER_TEST_STEPS =
	'Refiner keeps several webhooks, so leave the production one as it is. In Refiner › Integrations › Webhooks, create a second webhook with this node’s Test URL as its target URL, the same trigger event and the same secret token. Click Execute step in n8n, then complete a survey. Delete that second webhook after the test. The response also reaches the published workflow through the production webhook, as every response does.';
