import { contextBridge } from 'electron';

contextBridge.exposeInMainWorld('workbench', {});
