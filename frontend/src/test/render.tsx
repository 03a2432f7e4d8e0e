import { QueryClientProvider } from "@tanstack/react-query";
import { fireEvent, render } from "@testing-library/react";
import type { ReactElement } from "react";
import { MemoryRouter, Route, Routes, useLocation } from "react-router";

import { makeQueryClient } from "@/app/App";
import { tokenStore } from "@/shared/auth/tokenStore";
import { AuthProvider } from "@/shared/auth/AuthProvider";
import i18n from "@/shared/i18n";

function LocationProbe() {
  const location = useLocation();
  return <output data-testid="location">{location.pathname}</output>;
}

/** Renders a screen as a signed-in user would see it, at `path` matched by `route`. */
export async function renderScreen(ui: ReactElement, { path = "/", route = "*", language = "en", signedIn = true } = {}) {
  await i18n.changeLanguage(language);
  if (signedIn) tokenStore.set("test-token", new Date(Date.now() + 3_600_000).toISOString());
  const queryClient = makeQueryClient();
  queryClient.setDefaultOptions({ queries: { ...queryClient.getDefaultOptions().queries, retry: false } });
  return render(
    <QueryClientProvider client={queryClient}>
      <MemoryRouter initialEntries={[path]}>
        <AuthProvider>
          <Routes>
            <Route path={route} element={ui} />
          </Routes>
          <LocationProbe />
        </AuthProvider>
      </MemoryRouter>
    </QueryClientProvider>,
  );
}

/** Sets a field's value as one change (typing character by character is slow in jsdom). */
export function fill(element: HTMLElement, value: string) {
  fireEvent.change(element, { target: { value } });
}
