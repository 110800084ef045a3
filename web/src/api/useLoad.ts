// A view's data: loading flag, data, the server's error message; `run` reloads (e.g. a date changed).
import { ref, shallowRef, type Ref, type ShallowRef } from 'vue'

export interface Loaded<T> {
  data: ShallowRef<T | null>
  error: Ref<string | null>
  loading: Ref<boolean>
  run: () => Promise<void>
}

export function useLoad<T>(fetcher: () => Promise<T>): Loaded<T> {
  const data = shallowRef<T | null>(null)
  const error = ref<string | null>(null)
  const loading = ref(false)
  let generation = 0
  async function run() {
    const mine = ++generation
    loading.value = true
    error.value = null
    try {
      const got = await fetcher()
      if (mine === generation) data.value = got
    } catch (e) {
      if (mine === generation) error.value = (e as Error).message
    } finally {
      if (mine === generation) loading.value = false
    }
  }
  void run()
  return { data, error, loading, run }
}
