total 0
drwxr-xr-x 2 root root 0 Mar 14 09:12 :0000064
drwxr-xr-x 2 root root 0 Mar 14 09:12 :0000256
drwxr-xr-x 2 root root 0 Mar 14 09:12 :A-0000128
drwxr-xr-x 2 root root 0 Mar 14 09:12 :a-0000104
lrwxrwxrwx 1 root root 0 Mar 14 09:12 buffer_head -> :a-0000104
lrwxrwxrwx 1 root root 0 Mar 14 09:12 eventpoll_epi -> :A-0000128
lrwxrwxrwx 1 root root 0 Mar 14 09:12 fib6_nodes -> :0000064
lrwxrwxrwx 1 root root 0 Mar 14 09:12 ip6_dst_cache -> :0000256
lrwxrwxrwx 1 root root 0 Mar 14 09:12 kmalloc-64 -> :0000064
lrwxrwxrwx 1 root root 0 Mar 14 09:12 pid -> :A-0000128
lrwxrwxrwx 1 root root 0 Mar 14 09:12 pool_workqueue -> :0000256
drwxr-xr-x 2 root root 0 Mar 14 09:12 task_struct
lrwxrwxrwx 1 root root 0 Mar 14 09:12 bad_link_without_arrow
