// The part of axios's API that the demo uses (axios 1.x, index.d.ts), so that the demo type-checks
// without installing axios.
declare module 'axios' {
  export interface AxiosRequestConfig {
    baseURL?: string;
    timeout?: number;
    headers?: Record<string, string>;
    signal?: AbortSignal;
  }
  export interface AxiosResponse<T = unknown> {
    data: T;
    status: number;
    headers: Record<string, string>;
  }
  export interface AxiosInstance {
    get<T = unknown>(url: string, config?: AxiosRequestConfig): Promise<AxiosResponse<T>>;
    post<T = unknown>(url: string, data?: unknown, config?: AxiosRequestConfig): Promise<AxiosResponse<T>>;
    put<T = unknown>(url: string, data?: unknown, config?: AxiosRequestConfig): Promise<AxiosResponse<T>>;
  }
  export interface AxiosStatic extends AxiosInstance {
    create(config?: AxiosRequestConfig): AxiosInstance;
  }
  const axios: AxiosStatic;
  export default axios;
}
