// Package inventory syncs stock levels from the warehouse API in an asynq worker.
package inventory

import (
	"context"
	"net/http"
	"time"

	"github.com/hibiken/asynq"
	"github.com/robfig/cron/v3"
)

// HandleSyncStock is retried by asynq when it returns an error.
func HandleSyncStock(ctx context.Context, t *asynq.Task) error {
	// Hover `http.Get`: the default client never times out.
	resp, err := http.Get("https://warehouse.example/stock/" + string(t.Payload()))
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	return nil
}

// EnqueueSync asks for a stock sync of one SKU.
func EnqueueSync(client *asynq.Client, sku string) error {
	_, err := client.Enqueue(asynq.NewTask("stock:sync", []byte(sku)), asynq.MaxRetry(10))
	return err
}

// Schedule runs the nightly recount inside this process, so in every replica.
func Schedule() *cron.Cron {
	c := cron.New()
	c.AddFunc("@daily", func() {
		client := &http.Client{Timeout: 30 * time.Second}
		client.Post("https://warehouse.example/recount", "application/json", nil)
	})
	return c
}
