import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";

import { fakeApi, ME, page } from "@/test/fakeApi";
import { renderScreen } from "@/test/render";

import { AlertsPage } from "./AlertsPage";

const blocked = {
  id: "al-1",
  kind: "double_financing_blocked",
  severity: "high",
  message: "An approval of 80000.00 USD was refused: only 0.0000 remained on the receivable.",
  subject_type: "financing",
  subject_id: "9242023b-0000-0000-0000-00000055bacd",
  data: { receivable: "r1", requested: "80000.00", available: "0.00" },
  created_at: "2026-11-26T06:26:00Z",
  acknowledged: false,
  acknowledged_at: null,
  acknowledged_by: null,
  acknowledgement_note: "",
};

describe("the regulator's alerts", () => {
  it("word a known alert in Chinese from its data, and acknowledge it", async () => {
    let acknowledged = false;
    const api = fakeApi({
      "GET /api/me/": { body: ME.regulator },
      "GET /api/oversight/alerts/": () => ({ body: page(acknowledged ? [] : [blocked]) }),
      "POST /api/oversight/alerts/al-1/acknowledge/": () => {
        acknowledged = true;
        return { body: { ...blocked, acknowledged: true, acknowledged_at: "2026-11-26T07:00:00Z" } };
      },
    });
    await renderScreen(<AlertsPage />, { language: "zh-CN" });
    expect(await screen.findByText("一笔 80000.00 的审批被拒绝：该应收账款仅剩 0.00。")).toBeInTheDocument();
    expect(screen.getByText("重复融资已拦截")).toBeInTheDocument();
    expect(screen.getByText("融资")).toBeInTheDocument();
    expect(new URLSearchParams(api.calls.find((c) => c.path === "/api/oversight/alerts/")!.search).get("acknowledged")).toBe("false");
    await userEvent.click(screen.getByRole("button", { name: "确认" }));
    await waitFor(() => expect(screen.getByText("暂无未处理预警。")).toBeInTheDocument());
    expect(api.posts("/api/oversight/alerts/al-1/acknowledge/")).toHaveLength(1);
  });

  it("show the platform's sentence for a kind the portal does not know", async () => {
    fakeApi({
      "GET /api/me/": { body: ME.regulator },
      "GET /api/oversight/alerts/": { body: page([{ ...blocked, kind: "something_new", message: "Something new happened." }]) },
    });
    await renderScreen(<AlertsPage />);
    expect(await screen.findByText("Something new happened.")).toBeInTheDocument();
  });
});
