import { render, screen } from "@testing-library/react";
import { beforeEach, describe, expect, it } from "vitest";

import { ApiError } from "@/shared/api";
import i18n from "@/shared/i18n";

import { QueryList } from ".";

type Row = { id: string; name: string };

function query(state: { isPending?: boolean; error?: unknown; results?: Row[] }) {
  return {
    isPending: state.isPending ?? false,
    error: state.error ?? null,
    data: state.results ? { results: state.results } : undefined,
  };
}

function list(rows: Row[]) {
  return (
    <ul data-testid="rows">
      {rows.map((r) => <li key={r.id}>{r.name}</li>)}
    </ul>
  );
}

// QueryList needs no router, session or network: a plain render with i18n in English is enough.
describe("the states of a list query", () => {
  beforeEach(async () => {
    await i18n.changeLanguage("en");
  });

  it("shows loading while the query is pending, unless told not to", async () => {
    const { rerender } = render(<QueryList query={query({ isPending: true })} empty="Nothing yet.">{list}</QueryList>);
    expect(screen.getByRole("status")).toHaveTextContent("Loading…");
    expect(screen.queryByText("Nothing yet.")).not.toBeInTheDocument();
    expect(screen.queryByTestId("rows")).not.toBeInTheDocument();
    rerender(<QueryList query={query({ isPending: true })} empty="Nothing yet." loading={false}>{list}</QueryList>);
    expect(screen.queryByRole("status")).not.toBeInTheDocument();
  });

  it("shows the query's error, or the one given instead, unless told not to", async () => {
    const failed = query({ error: new ApiError(500, { code: "query_failed", message: "The list is unavailable.", details: {} }) });
    const other = new ApiError(409, { code: "revoke_failed", message: "Could not revoke.", details: {} });
    const { rerender } = render(<QueryList query={failed} empty="Nothing yet.">{list}</QueryList>);
    expect(screen.getByRole("alert")).toHaveAttribute("data-error-code", "query_failed");
    expect(screen.getByRole("alert")).toHaveTextContent("The list is unavailable.");
    rerender(<QueryList query={query({ results: [] })} error={other} empty="Nothing yet.">{list}</QueryList>);
    expect(screen.getByRole("alert")).toHaveTextContent("Could not revoke.");
    rerender(<QueryList query={failed} empty="Nothing yet." showError={false}>{list}</QueryList>);
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();
  });

  it("shows the empty text when there are no results", async () => {
    render(<QueryList query={query({ results: [] })} empty="Nothing yet.">{list}</QueryList>);
    expect(screen.getByText("Nothing yet.")).toHaveClass("empty");
    expect(screen.queryByRole("status")).not.toBeInTheDocument();
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();
    expect(screen.queryByTestId("rows")).not.toBeInTheDocument();
  });

  it("renders the results through its children", async () => {
    const rows = [{ id: "1", name: "First" }, { id: "2", name: "Second" }];
    render(<QueryList query={query({ results: rows })} empty="Nothing yet.">{list}</QueryList>);
    expect(screen.getAllByRole("listitem").map((li) => li.textContent)).toEqual(["First", "Second"]);
    expect(screen.queryByText("Nothing yet.")).not.toBeInTheDocument();
  });
});
