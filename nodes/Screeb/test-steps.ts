/**
 * How to test without moving the workspace's production URL; the panel, the setup notice, README
 * and docs/providers.md give these words exactly (test/editor-texts.test.ts checks it).
 */
export const SCREEB_TEST_STEPS =
	'Leave the Production URL in Settings › Integrations › Webhook. Create a test survey in Screeb and paste this node’s Test URL in that survey’s Share › Webhook. Click Execute step in n8n, then display and answer the test survey. Remove the test survey’s webhook after the test. Do not paste the Test URL in Settings › Integrations › Webhook instead: while it is there, every survey’s events go to the test, and Screeb resends a failed delivery only once, after about 60 s, so the published workflow loses the events sent meanwhile.';
