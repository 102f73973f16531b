import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { Analyzer } from '../../server/src/analysis/index.js';
import type { LanguageId } from '../../server/src/analysis/types.js';
import { testAnalyzer } from '../helpers/analyzer.js';

/**
 * A webhook delivery is an HTTP call and a notification on the same callee, in every language,
 * through one predicate (facts/webhook.ts): the URL names a webhook or a hook URL, or the call
 * sits in a function or class named for sending webhooks. A call to an API URL is an HTTP call
 * only, and so is a URL that says "hooks" only inside a string.
 */
const CASES: { language: LanguageId; code: string; notifyLines: number[]; httpLines: number[] }[] = [
  {
    language: 'javascript',
    code: "const axios = require('axios');\nasync function deliver(webhook, payload) {\n  await axios.post(webhook.url, payload, { timeout: 5000 });\n  await axios.post(process.env.SLACK_WEBHOOK_URL, payload, { timeout: 5000 });\n  await axios.post(`${apiBase}/hooks`, payload, { timeout: 5000 });\n}\n",
    notifyLines: [3, 4],
    httpLines: [3, 4, 5],
  },
  {
    language: 'ruby',
    code: "require 'httparty'\nclass Notifier\n  def call(webhook, payload)\n    HTTParty.post(webhook.url, body: payload, timeout: 5)\n    HTTParty.post(ENV['SLACK_WEBHOOK_URL'], body: payload, timeout: 5)\n    HTTParty.post(api_url, body: payload, timeout: 5)\n  end\nend\n",
    notifyLines: [4, 5],
    httpLines: [4, 5, 6],
  },
  {
    language: 'go',
    code: 'package main\n\nimport (\n\t"bytes"\n\t"net/http"\n)\n\nfunc deliver(hook Hook, body []byte) {\n\thttp.Post(hook.URL, "application/json", bytes.NewReader(body))\n\thttp.Post(apiURL, "application/json", bytes.NewReader(body))\n\thttp.Get(webhookURL)\n}\n',
    notifyLines: [9],
    httpLines: [9, 10, 11],
  },
  {
    language: 'java',
    code: 'import org.springframework.web.client.RestTemplate;\nclass D {\n  RestTemplate restTemplate = new RestTemplate();\n  void deliver(Webhook webhook, Object body) {\n    restTemplate.postForEntity(webhook.getUrl(), body, String.class);\n    restTemplate.postForEntity(apiUrl, body, String.class);\n  }\n}\n',
    notifyLines: [5],
    httpLines: [3, 5, 6],
  },
  {
    language: 'python',
    code: 'import requests\n\ndef send_webhook(target, payload):\n    url = target.endpoint\n    requests.post(url, json=payload, timeout=5)\n\ndef create_webhook(api, payload):\n    requests.post(api.url, json=payload, timeout=5)\n',
    notifyLines: [5],
    httpLines: [5, 8],
  },
];

describe('webhook deliveries are notifications in every language', () => {
  let analyzer: Analyzer;
  before(() => {
    analyzer = testAnalyzer();
  });

  for (const { language, code, notifyLines, httpLines } of CASES) {
    it(language, async () => {
      await analyzer.prepare(language);
      const result = await analyzer.analyze(code, language);
      const lines = (kind: string): number[] => result.signals.filter((s) => s.kind === kind).map((s) => code.slice(0, s.range.start).split('\n').length);
      assert.deepEqual(lines('notify'), notifyLines);
      assert.deepEqual(lines('http-call'), httpLines);
    });
  }
});
