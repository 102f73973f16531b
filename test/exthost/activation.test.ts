import assert from 'node:assert/strict';
import * as vscode from 'vscode';

const EXTENSION_ID = 'task-reliability-hints.task-reliability-hints';

describe('activation', () => {
  it(`${EXTENSION_ID} is present and activates`, async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not among the extensions the host loaded`);
    await extension.activate();
    assert.equal(extension.isActive, true);
  });
});
