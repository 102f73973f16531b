import { type Recipe, NOUNS, HOSTS, cap } from './recipe.js';

export const GO: Recipe = {
  header: `package billing

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/hibiken/asynq"
)

var client = &http.Client{Timeout: 10 * time.Second}
`,
  separator: '\n\n',
  blocks: [
    (i, pick) => `func Sync${cap(pick(NOUNS))}${i}(ctx context.Context, t *asynq.Task) error {
	var payload map[string]any
	if err := json.Unmarshal(t.Payload(), &payload); err != nil {
		return fmt.Errorf("decode: %w", err)
	}
	resp, err := http.Post("${pick(HOSTS)}/v1/${pick(NOUNS)}s", "application/json", strings.NewReader(string(t.Payload())))
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	return nil
}`,
    (i, pick) => `func Summarise${cap(pick(NOUNS))}s${i}(rows []map[string]float64) map[string]float64 {
	totals := map[string]float64{}
	for _, row := range rows {
		for currency, amount := range row {
			if amount < 0 {
				continue
			}
			totals[currency] += amount
		}
	}
	return totals
}`,
    (i, pick) => `func Fetch${cap(pick(NOUNS))}${i}(id string) (*http.Response, error) {
	return client.Get("${pick(HOSTS)}/v2/${pick(NOUNS)}/" + id)
}`,
  ],
};
