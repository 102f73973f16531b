-- Neovim as a second LSP client of the language server, headless, on Debian's neovim 0.7 (and
-- 0.10+): diagnostics, hover, and a code action applied to the buffer. It reports TAP counts
-- (`# pass N` / `# fail N`) for scripts/test.mjs and exits non-zero on a failure.
-- Run: TASK_RELIABILITY_SERVER=dist/server.js nvim --headless --clean -i NONE -c 'luafile test/editor/neovim/lsp.lua'
local server = os.getenv('TASK_RELIABILITY_SERVER') or 'dist/server.js'
local WAIT_MS = 15000

local results = { pass = 0, fail = 0 }
local function out(line) io.stdout:write(line .. '\n') end
local function check(name, fn)
  local ok, err = pcall(fn)
  if ok then
    results.pass = results.pass + 1
    out('ok ' .. (results.pass + results.fail) .. ' - ' .. name)
  else
    results.fail = results.fail + 1
    out('not ok ' .. (results.pass + results.fail) .. ' - ' .. name)
    out('  ---\n  error: ' .. tostring(err):gsub('\n', '\n    ') .. '\n  ...')
  end
end
local function expect(cond, message) if not cond then error(message, 2) end end

-- A project of its own: one Python file and a config whose fix timeout the quick fix must use,
-- which shows that the server reads .task-reliability.json for clients other than VS Code.
local root = vim.fn.tempname()
vim.fn.mkdir(root, 'p')
local file = root .. '/pay.py'
vim.fn.writefile({ 'import requests', '', '', 'def charge(order):', '    return requests.post("https://pay.example.com/charge", json=order)' }, file)
vim.fn.writefile({ '{"fixTimeoutSeconds": 7}' }, root .. '/.task-reliability.json')
vim.cmd('edit ' .. vim.fn.fnameescape(file))
local buf = vim.api.nvim_get_current_buf()
local uri = vim.uri_from_bufnr(buf)

-- The raw LSP diagnostics, as the server sent them (vim.diagnostic keeps fewer fields on 0.7).
local published
local config = {
  name = 'task-reliability',
  cmd = { 'node', server, '--stdio' },
  root_dir = root,
  workspace_folders = { { uri = vim.uri_from_fname(root), name = 'project' } },
  handlers = {
    ['textDocument/publishDiagnostics'] = function(err, result, ctx, cfg)
      if result.uri == uri then published = result.diagnostics end
      vim.lsp.diagnostic.on_publish_diagnostics(err, result, ctx, cfg)
    end,
  },
}
local client_id
if vim.lsp.start then -- 0.8 and later
  client_id = vim.lsp.start(config, { bufnr = buf })
else -- 0.7
  client_id = vim.lsp.start_client(config)
  vim.lsp.buf_attach_client(buf, client_id)
end
local client = vim.lsp.get_client_by_id(client_id)

local function request(method, params)
  local response, err = client.request_sync(method, params, WAIT_MS, buf)
  expect(response ~= nil, method .. ' got no answer: ' .. tostring(err))
  expect(response.err == nil, method .. ' failed: ' .. vim.inspect(response.err))
  return response.result
end

local v = vim.version()
out('TAP version 13')
out('# neovim ' .. v.major .. '.' .. v.minor .. '.' .. v.patch .. ' against ' .. server)

check('publishes the missing timeout with its rule id, source and range', function()
  expect(vim.wait(WAIT_MS, function() return published ~= nil and #published > 0 end, 20), 'no diagnostics within ' .. WAIT_MS .. ' ms')
  local d = published[1]
  expect(#published == 1, 'expected one diagnostic, got ' .. #published)
  expect(d.code == 'http-timeout', 'code ' .. tostring(d.code))
  expect(d.source == 'task-reliability', 'source ' .. tostring(d.source))
  expect(d.range.start.line == 4 and d.range.start.character == 11, 'range ' .. vim.inspect(d.range))
  expect(#vim.diagnostic.get(buf) == 1, 'vim.diagnostic has ' .. #vim.diagnostic.get(buf))
end)

check('hovers requests.post with the book rule', function()
  local hover = request('textDocument/hover', { textDocument = { uri = uri }, position = { line = 4, character = 16 } })
  local value = hover and hover.contents and hover.contents.value or ''
  expect(value:find('R6.1', 1, true) ~= nil, 'no R6.1 in: ' .. value)
  expect(value:find('**RULE:**', 1, true) ~= nil, 'no RULE in: ' .. value)
end)

check('applies the quick fix with the configured timeout, and the diagnostic goes', function()
  expect(published ~= nil and #published == 1, 'no diagnostic to fix')
  local actions = request('textDocument/codeAction', {
    textDocument = { uri = uri }, range = published[1].range,
    context = { diagnostics = published, only = { 'quickfix' } },
  })
  expect(actions ~= nil and #actions > 0, 'no code actions')
  expect(actions[1].title == 'Add timeout=7', 'first action: ' .. tostring(actions[1].title))
  vim.lsp.util.apply_workspace_edit(actions[1].edit, client.offset_encoding or 'utf-16')
  local line = vim.api.nvim_buf_get_lines(buf, 4, 5, false)[1]
  expect(line:find('json=order, timeout=7)', 1, true) ~= nil, 'line after the fix: ' .. line)
  expect(vim.wait(WAIT_MS, function() return published ~= nil and #published == 0 end, 20), 'the diagnostic stayed: ' .. vim.inspect(published))
end)

vim.lsp.stop_client(client_id)
vim.fn.delete(root, 'rf')
out('1..' .. (results.pass + results.fail))
out('# pass ' .. results.pass)
out('# fail ' .. results.fail)
vim.cmd(results.fail == 0 and 'qall!' or 'cquit 1')
