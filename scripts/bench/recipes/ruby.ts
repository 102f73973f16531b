import { type Recipe, NOUNS, HOSTS, cap } from './recipe.js';

export const RUBY: Recipe = {
  header: `require 'faraday'
require 'net/http'
require 'sidekiq'

HTTP_TIMEOUT = 10
`,
  separator: '\n\n',
  blocks: [
    (i, pick) => `class Sync${cap(pick(NOUNS))}Job${i}
  include Sidekiq::Job
  sidekiq_options retry: 5, queue: 'billing'

  def perform(id)
    conn = Faraday.new(url: '${pick(HOSTS)}')
    response = conn.post('/v1/${pick(NOUNS)}s', { id: id }.to_json)
    raise "partner failed: #{response.status}" if response.status >= 500
    response.body
  end
end`,
    (i, pick) => `def summarise_${pick(NOUNS)}s_${i}(rows)
  totals = Hash.new(0.0)
  rows.each do |row|
    amount = row.fetch(:amount, 0).to_f
    next if amount.negative?
    totals[row.fetch(:currency, 'EUR')] += amount
  end
  totals.transform_values { |v| v.round(2) }
end`,
    (i, pick) => `def fetch_${pick(NOUNS)}_${i}(id)
  uri = URI("${pick(HOSTS)}/v2/${pick(NOUNS)}/#{id}")
  Net::HTTP.get_response(uri)
end`,
  ],
};
