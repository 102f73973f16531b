# Sends the welcome e-mail and registers the new account with the CRM.
require "net/http"

class WelcomeJob
  include Sidekiq::Job
  sidekiq_options retry: 5

  def perform(account_id)
    account = Account.find(account_id)
    # Hover `deliver_now`: Sidekiq retries the whole job, so a failure after it sends the e-mail again.
    AccountMailer.welcome(account).deliver_now
    Net::HTTP.post(URI("https://crm.example/accounts"), account.to_json)
  end
end

class ChargeSetupFee
  include Sidekiq::Job

  def perform(account_id)
    Stripe::Charge.create(amount: 500, currency: "usd", customer: account_id)
  end
end
