total 0
drwxr-xr-x 2 root root 0 May 24 20:01 :0000064
drwxr-xr-x 2 root root 0 May 24 20:01 :0000192
drwxr-xr-x 2 root root 0 May 24 20:01 :0000256
drwxr-xr-x 2 root root 0 May 24 20:01 :A-0000064
drwxr-xr-x 2 root root 0 May 24 20:01 :A-0000128
drwxr-xr-x 2 root root 0 May 24 20:01 :A-0000192
drwxr-xr-x 2 root root 0 May 24 20:01 :A-0000256
drwxr-xr-x 2 root root 0 May 24 20:01 :a-0000192
lrwxrwxrwx 1 root root 0 May 24 20:01 anon_vma_chain -> :A-0000064
lrwxrwxrwx 1 root root 0 May 24 20:01 biovec-16 -> :0000256
lrwxrwxrwx 1 root root 0 May 24 20:01 cred_jar -> :A-0000192
lrwxrwxrwx 1 root root 0 May 24 20:01 dentry -> :a-0000192
lrwxrwxrwx 1 root root 0 May 24 20:01 eventpoll_epi -> :A-0000128
lrwxrwxrwx 1 root root 0 May 24 20:01 fib6_nodes -> :0000064
lrwxrwxrwx 1 root root 0 May 24 20:01 filp -> :A-0000256
lrwxrwxrwx 1 root root 0 May 24 20:01 ip6_dst_cache -> :0000256
lrwxrwxrwx 1 root root 0 May 24 20:01 kmalloc-192 -> :0000192
drwxr-xr-x 2 root root 0 May 24 20:01 kmalloc-256
lrwxrwxrwx 1 root root 0 May 24 20:01 kmalloc-64 -> :0000064
drwxr-xr-x 2 root root 0 May 24 20:01 mm_struct
lrwxrwxrwx 1 root root 0 May 24 20:01 pid -> :A-0000128
lrwxrwxrwx 1 root root 0 May 24 20:01 pool_workqueue -> :0000256
drwxr-xr-x 2 root root 0 May 24 20:01 skbuff_head_cache
drwxr-xr-x 2 root root 0 May 24 20:01 sock_inode_cache
drwxr-xr-x 2 root root 0 May 24 20:01 task_struct
