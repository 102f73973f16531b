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
const CASES: { language: LanguageId; name?: string; code: string; notifyLines: number[]; httpLines: number[] }[] = [
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
  // A chat service's message endpoint, written as the URL literal, or a URL named for the chat
  // service's channel, is a notification; the same services' read methods, another host's path
  // of the same name, and a literal that only starts after an interpolation are HTTP calls only.
  {
    language: 'python',
    name: 'python: chat endpoints (Slack, Teams, Discord) as URL literals and channel URLs',
    code: [
      'import requests',
      '',
      'def post(settings, text, base):',
      '    requests.request(method="POST", url="https://slack.com/api/chat.postMessage", data={"text": text}, timeout=5)',
      '    requests.post(settings.msteams_url, json={"text": text}, timeout=5)',
      '    requests.post(f"https://hooks.slack.com/services/{settings.token}", json={"text": text}, timeout=5)',
      '    requests.post("https://discord.com/api/webhooks/1/abc", json={"content": text}, timeout=5)',
      '    requests.get("https://slack.com/api/users.lookupByEmail", params={"email": text}, timeout=5)',
      '    requests.post("https://api.example.com/chat.postMessage", json={}, timeout=5)',
      '    requests.post(f"{base}/https://hooks.slack.com/", json={}, timeout=5)',
      '    # requests.post("https://hooks.slack.com/services/x")',
      '    requests.post(settings.api_url, data={"text": "https://hooks.slack.com/services/x"}, timeout=5)',
      '',
    ].join('\n'),
    notifyLines: [4, 5, 6, 7],
    httpLines: [4, 5, 6, 7, 8, 9, 10, 12],
  },
  {
    language: 'javascript',
    name: 'javascript: chat endpoints',
    code: "const axios = require('axios');\nasync function post(config, id, token, payload) {\n  await axios.post('https://hooks.slack.com/services/T/B/X', payload, { timeout: 5000 });\n  await axios.post(`https://discord.com/api/webhooks/${id}/${token}`, payload, { timeout: 5000 });\n  await axios.post(config.msTeamsUrl, payload, { timeout: 5000 });\n  await axios.post('https://slack.com/api/users.list', payload, { timeout: 5000 });\n}\n",
    notifyLines: [3, 4, 5],
    httpLines: [3, 4, 5, 6],
  },
  {
    language: 'ruby',
    name: 'ruby: chat endpoints',
    code: "require 'httparty'\nclass Alerts\n  def call(payload)\n    HTTParty.post('https://hooks.slack.com/services/T/B/X', body: payload, timeout: 5)\n    HTTParty.post(\"https://#{host}/chat.postMessage\", body: payload, timeout: 5)\n  end\nend\n",
    notifyLines: [4],
    httpLines: [4, 5],
  },
  {
    language: 'go',
    name: 'go: chat endpoints',
    code: 'package main\n\nimport (\n\t"bytes"\n\t"net/http"\n)\n\nfunc alert(body []byte) {\n\thttp.Post("https://hooks.slack.com/services/T/B/X", "application/json", bytes.NewReader(body))\n\thttp.Post("https://example.com/hooks", "application/json", bytes.NewReader(body))\n}\n',
    notifyLines: [9],
    httpLines: [9, 10],
  },
  {
    language: 'java',
    name: 'java: chat endpoints',
    code: 'import org.springframework.web.client.RestTemplate;\nclass A {\n  RestTemplate restTemplate = new RestTemplate();\n  void alert(Object body) {\n    restTemplate.postForEntity("https://contoso.webhook.office.com/webhookb2/abc", body, String.class);\n    restTemplate.postForEntity("https://graph.microsoft.com/v1.0/teams", body, String.class);\n  }\n}\n',
    notifyLines: [5],
    httpLines: [3, 5, 6],
  },
];

describe('webhook deliveries are notifications in every language', () => {
  let analyzer: Analyzer;
  before(() => {
    analyzer = testAnalyzer();
  });

  for (const { language, name, code, notifyLines, httpLines } of CASES) {
    it(name ?? language, async () => {
      await analyzer.prepare(language);
      const result = await analyzer.analyze(code, language);
      const lines = (kind: string): number[] => result.signals.filter((s) => s.kind === kind).map((s) => code.slice(0, s.range.start).split('\n').length);
      assert.deepEqual(lines('notify'), notifyLines);
      assert.deepEqual(lines('http-call'), httpLines);
    });
  }
});
