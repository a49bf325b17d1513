// The SQLite write shapes behind BENCHMARKS.md, "Where the time goes now": one audit row
// (and optionally a pair upsert, its two indexes, a nonce table, a pair lookup) per follow,
// WAL, synchronous = FULL, in batches. Build and run:
//   gcc -O2 -include unistd.h sqlite_write_shapes.c -lsqlite3 -o /tmp/shapes
//   /tmp/shapes USERS FOLLOWS BATCH PAIRS(0/1) INDEXES(0/1) AUTOCHECKPOINT(0/1) NONCES(0/1) LOOKUP(0/1)
//   e.g. /tmp/shapes 1000 25600 1024 1 1 0 0 0   (prints follows/s and CPU per follow)
// It writes /tmp/exp/t.db (create /tmp/exp first).
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/resource.h>
static double now(){struct timespec t;clock_gettime(CLOCK_MONOTONIC,&t);return t.tv_sec+t.tv_nsec*1e-9;}
static double cpu(){struct rusage r;getrusage(RUSAGE_SELF,&r);return r.ru_utime.tv_sec+r.ru_utime.tv_usec*1e-6+r.ru_stime.tv_sec+r.ru_stime.tv_usec*1e-6;}
#define X(s) do{char*e=0;if(sqlite3_exec(db,s,0,0,&e)){fprintf(stderr,"%s: %s\n",s,e);exit(1);}}while(0)
int main(int argc,char**argv){
  int users=atoi(argv[1]), follows=atoi(argv[2]), batch=atoi(argv[3]), pairs=atoi(argv[4]), idx=atoi(argv[5]), ckpt=atoi(argv[6]), nt=atoi(argv[7]), sel=atoi(argv[8]);
  const char*path="/tmp/exp/t.db"; unlink(path); char wal[64]; sprintf(wal,"%s-wal",path); unlink(wal);
  sqlite3*db; sqlite3_open(path,&db);
  X("PRAGMA journal_mode=WAL"); X("PRAGMA synchronous=FULL"); X("PRAGMA cache_size=-262144");
  if(!ckpt) X("PRAGMA wal_autocheckpoint=0");
  X("CREATE TABLE audit_log(seq INTEGER PRIMARY KEY, kind TEXT, received_at INTEGER, request_pubkey TEXT, didkey TEXT, body BLOB, prev_hash BLOB, hash BLOB, nonce BLOB)");
  X("CREATE TABLE follow_pairs(user_no INTEGER NOT NULL, target_no INTEGER NOT NULL, following INTEGER, latest_timestamp INTEGER, latest_is_cancel INTEGER, followed_at INTEGER, PRIMARY KEY(user_no,target_no)) WITHOUT ROWID");
  if(idx){X("CREATE INDEX bt ON follow_pairs(target_no, following, followed_at)"); X("CREATE INDEX bu ON follow_pairs(user_no, following, followed_at)");}
  X("CREATE TABLE applied_nonces(ts INTEGER NOT NULL, nonce BLOB NOT NULL, PRIMARY KEY(ts, nonce)) WITHOUT ROWID");
  sqlite3_stmt*a,*p,*q,*s; sqlite3_prepare_v2(db,"INSERT INTO applied_nonces VALUES(?,?)",-1,&q,0); sqlite3_prepare_v2(db,"SELECT following, latest_timestamp FROM follow_pairs WHERE user_no=? AND target_no=?",-1,&s,0); sqlite3_prepare_v2(db,"INSERT INTO audit_log VALUES(?,?,?,?,?,?,?,?,?)",-1,&a,0);
  sqlite3_prepare_v2(db,"INSERT INTO follow_pairs VALUES(?,?,?,?,?,?) ON CONFLICT(user_no,target_no) DO UPDATE SET following=excluded.following, latest_timestamp=excluded.latest_timestamp, latest_is_cancel=excluded.latest_is_cancel, followed_at=excluded.followed_at",-1,&p,0);
  char body[628]; memset(body,'x',628); unsigned char h[32]={1}, n[28]={2};
  char pk[65]; memset(pk,'a',64); pk[64]=0; char dk[]="eth:0x1234567890123456789012345678901234567890";
  srand(1); long long ts=1700000000000LL; double t0=now(), c0=cpu(); long seq=0;
  for(int i=0;i<follows;i+=batch){
    X("BEGIN IMMEDIATE");
    for(int j=0;j<batch&&i+j<follows;j++){
      seq++; int u=rand()%users, t=rand()%users; ts++;
      if(sel){sqlite3_bind_int(s,1,u);sqlite3_bind_int(s,2,t); while(sqlite3_step(s)==SQLITE_ROW){} sqlite3_reset(s);}
      if(pairs){sqlite3_bind_int(p,1,u);sqlite3_bind_int(p,2,t);sqlite3_bind_int(p,3,1);sqlite3_bind_int64(p,4,ts);sqlite3_bind_int(p,5,0);sqlite3_bind_int64(p,6,ts); if(sqlite3_step(p)!=SQLITE_DONE){fprintf(stderr,"p %s\n",sqlite3_errmsg(db));return 1;} sqlite3_reset(p);}
      for(int k=0;k<28;k++) n[k]=rand();
      if(nt){sqlite3_bind_int64(q,1,ts);sqlite3_bind_blob(q,2,n,28,SQLITE_STATIC); if(sqlite3_step(q)!=SQLITE_DONE){fprintf(stderr,"q\n");return 1;} sqlite3_reset(q);}
      n[0]=seq; n[1]=seq>>8; n[2]=seq>>16;
      sqlite3_bind_int64(a,1,seq);sqlite3_bind_text(a,2,"follow",-1,SQLITE_STATIC);sqlite3_bind_int64(a,3,ts);sqlite3_bind_text(a,4,pk,-1,SQLITE_STATIC);sqlite3_bind_text(a,5,dk,-1,SQLITE_STATIC);sqlite3_bind_blob(a,6,body,628,SQLITE_STATIC);sqlite3_bind_blob(a,7,h,32,SQLITE_STATIC);sqlite3_bind_blob(a,8,h,32,SQLITE_STATIC);sqlite3_bind_blob(a,9,n,28,SQLITE_STATIC);
      if(sqlite3_step(a)!=SQLITE_DONE){fprintf(stderr,"a\n");return 1;} sqlite3_reset(a);
    }
    X("COMMIT");
  }
  double w=now()-t0, c=cpu()-c0;
  printf("nt=%d sel=%d users=%d follows=%d batch=%d pairs=%d idx=%d ckpt=%d: %.0f/s cpu %.1f us/follow\n",nt,sel,users,follows,batch,pairs,idx,ckpt,follows/w,c/follows*1e6);
}
