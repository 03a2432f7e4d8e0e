"""The portals as people use them, in Chromium, against the real stack.

One journey follows a receivable from the customs feed to its repayment: the operator onboards
the parties and feeds the declarations, the exporter submits a receivable and applies to two
banks, the first bank approves and disburses, the second is refused for lack of balance, an FX
receipt settles the financing, the exporter authorizes a credit lookup and the bank makes it,
and the regulator (in Chinese) sees it all on the dashboard and verifies an event's proof
against the chain from the browser.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.e2e.conftest import shoot
from tests.support.factories import DEMO_PASSWORD, make_operator, make_org, next_uscc

pytestmark = [pytest.mark.browser, pytest.mark.chain, pytest.mark.django_db(transaction=True)]

PASSWORD = "journey-pass-2026"


def sign_in(page: Page, base: str, username: str, password: str, home: str) -> None:
    page.goto(f"{base}/login")
    page.get_by_label(re.compile("^(Username|用户名)$")).fill(username)
    page.get_by_label(re.compile("^(Password|密码)$")).fill(password)
    page.get_by_role("button", name=re.compile("^(Sign in|登录)$")).click()
    expect(page).to_have_url(re.compile(f"{re.escape(base)}{home}$"))
    expect(page.get_by_test_id("whoami")).to_contain_text(username)


def sign_out(page: Page) -> None:
    page.get_by_role("button", name=re.compile("^(Sign out|退出登录)$")).click()
    expect(page).to_have_url(re.compile("/login$"))


def choose(select, text: str) -> None:
    """Select the option whose label contains `text`."""
    option = select.locator("option", has_text=text)
    expect(option).to_have_count(1)
    select.select_option(option.get_attribute("value"))


def onboard(page: Page, *, kind: str, name: str, username: str, uscc: str = "", bic: str = "") -> None:
    form = page.get_by_role("form", name="Onboard an organization")
    form.get_by_label("Type").select_option(kind)
    form.get_by_label("Name", exact=True).fill(name)
    if uscc:
        form.get_by_label("Unified Social Credit Code").fill(uscc)
    if bic:
        form.get_by_label("SWIFT BIC").fill(bic)
    form.get_by_label("Username").fill(username)
    form.get_by_label("Password").fill(PASSWORD)
    form.get_by_role("button", name="Onboard").click()
    expect(form.get_by_role("status")).to_contain_text(f"{name} is onboarded")


def feed(page: Page, *, number: str, exporter: str, fob: str, days_ago: int) -> None:
    form = page.get_by_role("form", name="Customs data feed")
    form.get_by_label("Declaration no.").fill(number)
    choose(form.get_by_label("Exporter"), exporter)
    form.get_by_label("Export date").fill((timezone.localdate() - timedelta(days=days_ago)).isoformat())
    form.get_by_label("Currency").fill("USD")
    form.get_by_label("FOB value").fill(fob)
    form.get_by_label("Destination").fill("VN")
    form.get_by_label("Consignee").fill("Hanoi Buyer JSC")
    form.get_by_role("button", name="Record declaration").click()
    expect(form.get_by_role("status")).to_contain_text(f"Declaration {number} recorded")


def test_a_receivable_from_customs_feed_to_repayment_across_the_portals(stack, browser_context):
    base = stack.url
    operator = make_operator(username="ops")
    make_org("regulator", username="safe-gx", name="SAFE Guangxi Branch")
    exporter_uscc = next_uscc()
    d1, d2 = "531620260000000101", "531620260000000102"
    page = browser_context.new_page()

    # --- operator: onboard the exporter and two banks, feed two declarations --------------------
    sign_in(page, base, operator.username, DEMO_PASSWORD, "/operator")
    onboard(page, kind="exporter", name="Nanning Export Co.", username="nanning", uscc=exporter_uscc)
    onboard(page, kind="bank", name="Bank of Guangxi", username="gx-officer", bic="BKCHCNBJ480")
    onboard(page, kind="bank", name="Beibu Gulf Bank", username="bb-officer", bic="ICBKCNBJGXI")
    page.get_by_role("link", name="Customs feed").click()
    feed(page, number=d1, exporter="Nanning Export Co.", fob="50000.00", days_ago=20)
    feed(page, number=d2, exporter="Nanning Export Co.", fob="60000.00", days_ago=12)
    expect(page.get_by_test_id("declarations-table").locator("tbody tr")).to_have_count(2)
    shoot(page, "operator-customs-feed")
    page.get_by_role("link", name="Organizations").click()
    expect(page.get_by_role("cell", name="Beibu Gulf Bank")).to_be_visible()
    # The registrations reach the chain through the worker.
    expect(page.locator("[data-chain-status=confirmed]")).to_have_count(5)
    shoot(page, "operator-organizations")
    # The worker consumes every queue: its heartbeats show on the platform status page.
    page.get_by_role("link", name="Platform status").click()
    expect(page.get_by_test_id("workers").locator("[data-queue] [data-ok=true]")).to_have_count(3)
    expect(page.get_by_test_id("services").locator("[data-ok=false]")).to_have_count(0)
    # And the chain writes get through: once the last anchor is mined nothing waits, and nothing failed.
    writes = page.get_by_test_id("chain-writes")
    expect(writes.get_by_text("none: every write is confirmed or failed")).to_be_visible(timeout=30_000)
    expect(writes.locator("[data-row=failures] [data-ok]")).to_have_attribute("data-ok", "true")
    shoot(page, "operator-platform-status")
    sign_out(page)

    # --- exporter: submit a receivable backed by both declarations, apply to both banks ---------
    sign_in(page, base, "nanning", PASSWORD, "/exporter")
    page.get_by_role("link", name="Customs declarations").click()
    expect(page.locator(f"tr[data-declaration='{d1}'] [data-testid=available]")).to_have_text("USD 50,000.00")
    page.get_by_role("link", name="Receivables").click()
    page.get_by_role("link", name="New receivable").click()
    page.get_by_label("Invoice no.").fill("INV-2026-0117")
    page.get_by_label("Buyer", exact=True).fill("Hanoi Buyer JSC")
    page.get_by_label("Amount", exact=True).fill("80000.00")
    page.get_by_label("Due date").fill((timezone.localdate() + timedelta(days=75)).isoformat())
    page.get_by_label(f"Use declaration {d1}").check()
    page.get_by_label(f"Use declaration {d2}").check()
    expect(page.get_by_label(f"Amount from declaration {d2}")).to_have_value("30000.00")
    expect(page.get_by_test_id("allocation-total")).to_contain_text("adds up")
    shoot(page, "exporter-new-receivable")
    page.get_by_role("button", name="Submit receivable").click()
    expect(page.get_by_test_id("declaration-check")).to_contain_text("Passed")
    page.get_by_label(re.compile("^Bank of Guangxi")).check()
    page.get_by_label(re.compile("^Beibu Gulf Bank")).check()
    page.get_by_role("button", name="Apply to 2 banks").click()
    outcomes = page.get_by_test_id("apply-outcomes")
    expect(outcomes).to_contain_text("Bank of Guangxi: application sent")
    expect(outcomes).to_contain_text("Beibu Gulf Bank: application sent")
    expect(page.locator("[data-testid=financings-table] tbody tr")).to_have_count(2)
    expect(page.locator("[data-testid=financings-table] [data-next-actor=bank]")).to_have_count(2)
    shoot(page, "exporter-receivable-applied")
    sign_out(page)

    # --- first bank: review, approve and disburse ------------------------------------------------
    sign_in(page, base, "gx-officer", PASSWORD, "/bank")
    inbox_row = page.locator("[data-testid=financings-table] tbody tr").first
    expect(inbox_row).to_contain_text("Nanning Export Co.")
    expect(inbox_row.locator(".next-actor.you")).to_have_text("You")
    shoot(page, "bank-inbox")
    inbox_row.get_by_role("link", name="INV-2026-0117").click()
    detail = page.get_by_test_id("receivable-detail")
    expect(detail.get_by_test_id("declaration-check")).to_contain_text("Passed")
    expect(detail.locator(f"tr[data-declaration='{d1}'] [data-testid=remaining]")).to_have_text("USD 50,000.00")
    page.get_by_label("Interest rate (% a year)").fill("4.35")
    page.get_by_role("button", name="Approve and reserve").click()
    expect(page.get_by_test_id("financing-status")).to_have_text("Approved")
    expect(detail.locator(f"tr[data-declaration='{d1}'] [data-testid=remaining]")).to_have_text("USD 0.00")
    page.get_by_role("button", name="Mark as disbursed").click()
    expect(page.get_by_test_id("financing-status")).to_have_text("Disbursed")
    expect(page.get_by_test_id("chain-record").locator("[data-chain-status=confirmed]").first).to_be_visible()
    shoot(page, "bank-financing-detail")
    sign_out(page)

    # --- second bank: refused, the balance is gone -----------------------------------------------
    sign_in(page, base, "bb-officer", PASSWORD, "/bank")
    page.locator("[data-testid=financings-table] tbody tr").first.get_by_role("link", name="INV-2026-0117").click()
    page.get_by_role("button", name="Approve and reserve").click()
    refusal = page.locator("[data-error-code=insufficient_available_balance]")
    expect(refusal).to_contain_text("another bank has financed it")
    expect(refusal).to_contain_text("Only 0.00 USD remains")
    expect(page.get_by_test_id("financing-status")).to_have_text("Applied")
    shoot(page, "bank-refused-no-balance")
    page.get_by_label("Reason").fill("Receivable already financed by another bank.")
    page.get_by_role("button", name="Reject application").click()
    expect(page.get_by_test_id("financing-status")).to_have_text("Rejected")
    sign_out(page)

    # --- first bank: the buyer pays; the FX receipt settles the financing -----------------------
    sign_in(page, base, "gx-officer", PASSWORD, "/bank")
    page.get_by_role("link", name="FX receipts").click()
    form = page.get_by_role("form", name="Record an FX receipt")
    choose(form.get_by_label("Receivable"), "INV-2026-0117")
    form.get_by_label("Amount").fill("80000.00")
    form.get_by_label("Reference").fill("SWIFT-MT103-0001")
    form.get_by_role("button", name="Record receipt").click()
    expect(page.get_by_test_id("fx-result")).to_contain_text("USD 80,000.00 applied")
    expect(page.get_by_test_id("fx-result")).to_contain_text("The receivable is settled.")
    shoot(page, "bank-fx-receipt")
    sign_out(page)

    # --- exporter: repaid; authorize a credit lookup ----------------------------------------------
    sign_in(page, base, "nanning", PASSWORD, "/exporter")
    expect(page.locator("[data-testid=financings-table] tbody tr")).to_have_count(2)
    shoot(page, "exporter-overview")
    page.get_by_role("link", name="Financings").click()
    expect(page.locator("[data-testid=financings-table] tr[data-bank='Bank of Guangxi']")).to_have_attribute("data-status", "repaid")
    expect(page.locator("[data-testid=financings-table] tr[data-bank='Beibu Gulf Bank']")).to_have_attribute("data-status", "rejected")
    shoot(page, "exporter-financings")
    page.get_by_role("link", name="Credit authorizations").click()
    grant = page.get_by_role("form", name="Grant an authorization")
    grant.get_by_label("Bank").select_option(label="Bank of Guangxi")
    grant.get_by_label("Purpose").fill("Export financing review")
    grant.get_by_label("Regulatory credit").check()
    grant.get_by_role("button", name="Sign and grant").click()
    expect(grant.get_by_role("status")).to_contain_text("Authorization granted and signed.")
    expect(page.locator("[data-testid=authorizations-table] tr[data-bank='Bank of Guangxi'] [data-status=active]")).to_be_visible()
    sign_out(page)

    # --- first bank: look up the profile under the authorization ---------------------------------
    sign_in(page, base, "gx-officer", PASSWORD, "/bank")
    page.get_by_role("link", name="Credit lookup").click()
    page.locator("[data-testid=grants-table] tr[data-exporter='Nanning Export Co.']").get_by_role("button", name="Look up").click()
    report = page.get_by_test_id("credit-report")
    expect(report.locator("[data-scope=basic]")).to_contain_text(exporter_uscc)
    expect(report.locator("[data-scope=transaction_credit]")).to_be_visible()
    expect(report.locator("[data-scope=regulatory_credit]")).to_contain_text("SAFE classification")
    expect(page.locator("[data-testid=lookup-log] tr[data-outcome=served]")).to_have_count(1)
    shoot(page, "bank-credit-lookup")
    sign_out(page)

    # --- exporter: the access log shows the lookup; then the exporter revokes ---------------------
    sign_in(page, base, "nanning", PASSWORD, "/exporter")
    page.get_by_role("link", name="Credit authorizations").click()
    page.get_by_role("link", name="Access log").first.click()
    expect(page.get_by_test_id("access-log").locator("[data-outcome=served]")).to_contain_text("Served")
    expect(page.get_by_test_id("access-log")).to_contain_text("gx-officer")
    shoot(page, "exporter-access-log")
    page.get_by_role("link", name="Credit authorizations").click()
    page.once("dialog", lambda dialog: dialog.accept())
    row = page.locator("[data-testid=authorizations-table] tr[data-bank='Bank of Guangxi']")
    row.get_by_role("button", name="Revoke").click()
    expect(row.locator("[data-status=revoked]")).to_be_visible()
    sign_out(page)

    # --- first bank: the same lookup is now refused, and the officer sees why --------------------
    sign_in(page, base, "gx-officer", PASSWORD, "/bank")
    page.get_by_role("link", name="Credit lookup").click()
    grant_row = page.locator("[data-testid=grants-table] tr[data-exporter='Nanning Export Co.']")
    expect(grant_row.locator("[data-status=revoked]")).to_be_visible()
    grant_row.get_by_role("button", name="Look up").click()
    refused = page.get_by_test_id("lookup-refused")
    expect(refused).to_have_attribute("data-error-code", "authorization_revoked")
    expect(refused).to_contain_text("The enterprise has revoked this authorization.")
    expect(page.get_by_test_id("credit-report")).to_have_count(0)
    logged = page.locator("[data-testid=lookup-log] tr[data-outcome=authorization_revoked]")
    expect(logged).to_contain_text("The enterprise has revoked this authorization.")
    shoot(page, "bank-credit-refused")
    sign_out(page)
    page.close()

    # --- regulator, in Chinese: the dashboard, the alert, and a proof checked against the chain --
    regulator_page(stack.url, browser_context)


def regulator_page(base: str, english_context) -> None:
    browser = english_context.browser
    context = browser.new_context(viewport={"width": 1360, "height": 860}, locale="zh-CN", timezone_id="Asia/Shanghai")
    try:
        page = context.new_page()
        # A first visit follows the browser's language.
        page.goto(f"{base}/login")
        expect(page.get_by_role("button", name="登录")).to_be_visible()
        sign_in(page, base, "safe-gx", DEMO_PASSWORD, "/regulator")
        expect(page.get_by_role("heading", name="监管看板")).to_be_visible()
        expect(page.get_by_test_id("kpi-blocked").locator(".value")).to_have_text("1")
        by_bank = page.get_by_test_id("chart-by-bank")
        expect(by_bank.locator(".recharts-bar-rectangle path")).to_have_count(1)
        expect(by_bank).to_contain_text("Bank of Guangxi")
        expect(page.get_by_test_id("chart-by-month").locator(".recharts-bar-rectangle path")).to_have_count(1)
        expect(page.get_by_test_id("chart-blocked")).to_contain_text("Beibu Gulf Bank")
        shoot(page, "regulator-dashboard-zh")

        page.get_by_role("link", name="预警").click()
        blocked = page.locator("[data-testid=alerts-table] tr[data-kind=double_financing_blocked]")
        expect(blocked).to_contain_text("重复融资已拦截")
        shoot(page, "regulator-alerts-zh")
        blocked.get_by_role("button", name="确认").click()
        expect(blocked).to_have_count(0)

        page.get_by_role("link", name="审计日志").click()
        expect(page.get_by_test_id("log-verification")).to_be_visible()
        page.get_by_label("事件类型").fill("financing.approved")
        page.get_by_role("button", name="搜索").click()
        rows = page.locator("[data-testid=audit-table] tbody tr[data-type='financing.approved']")
        expect(rows).to_have_count(1)
        rows.first.get_by_role("link").click()
        proof = page.get_by_test_id("proof-check")
        verify = proof.get_by_role("button", name="核验证明")
        expect(verify).to_be_enabled()  # once the batch is anchored on chain
        verify.click()
        result = proof.get_by_test_id("proof-result")
        expect(result).to_have_attribute("data-ok", "true")
        expect(result).to_contain_text("核验通过")
        shoot(page, "regulator-proof-verified-zh")

        # The same check in English, switching language in the portal (remembered on reload).
        page.get_by_role("button", name="English").click()
        page.reload()
        expect(page.get_by_role("heading", name=re.compile("^Event "))).to_be_visible()
        page.get_by_role("link", name="Dashboard").click()
        expect(page.get_by_role("heading", name="Oversight dashboard")).to_be_visible()
        expect(page.get_by_test_id("chart-by-bank").locator(".recharts-bar-rectangle path")).to_have_count(1)
        shoot(page, "regulator-dashboard")
        page.get_by_role("link", name="Audit trail").click()
        expect(page.get_by_test_id("log-verification").locator("[data-ok=true]")).to_be_visible()
        shoot(page, "regulator-audit-trail")
    finally:
        context.close()
