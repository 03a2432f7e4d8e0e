import { useQueryClient } from "@tanstack/react-query";
import { createContext, useCallback, useContext, useMemo, useSyncExternalStore, type ReactNode } from "react";

import { $api, fetchClient, type Me, type Role } from "../api";
import { tokenStore } from "./tokenStore";

interface Session {
  token: string | null;
  me: Me | undefined;
  role: Role | undefined;
  loading: boolean;
  /** Who we are could not be read (not a 401: that ends the session). */
  error: unknown;
  login(username: string, password: string): Promise<Me>;
  logout(): void;
}

const SessionContext = createContext<Session | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const token = useSyncExternalStore(tokenStore.subscribe, tokenStore.get, tokenStore.get);
  const queryClient = useQueryClient();
  const me = $api.useQuery("get", "/api/me/", {}, { enabled: Boolean(token), staleTime: 5 * 60_000, retry: false });

  const login = useCallback(
    async (username: string, password: string) => {
      const { data } = await fetchClient.POST("/api/auth/token/", { body: { username, password } });
      if (!data) throw new Error("empty token response");
      queryClient.clear();
      tokenStore.set(data.token, data.expires_at);
      const who = await fetchClient.GET("/api/me/");
      if (!who.data) throw new Error("empty /api/me/ response");
      queryClient.setQueryData(["get", "/api/me/", {}], who.data);
      return who.data;
    },
    [queryClient],
  );

  const logout = useCallback(() => {
    tokenStore.clear();
    queryClient.clear();
  }, [queryClient]);

  const value = useMemo<Session>(
    () => ({
      token,
      me: token ? me.data : undefined,
      role: token ? me.data?.organization?.kind : undefined,
      loading: Boolean(token) && me.isPending && !me.error,
      error: me.error,
      login,
      logout,
    }),
    [token, me.data, me.isPending, me.error, login, logout],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error("useSession outside AuthProvider");
  return session;
}
