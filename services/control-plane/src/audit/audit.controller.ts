import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequiresRole } from '../auth/roles';
import { AuditLog, type AuditEntry } from './audit.repository';

@ApiTags('audit')
@ApiBearerAuth()
@Controller('api/audit')
export class AuditController {
  constructor(private readonly audit: AuditLog) {}

  @Get()
  @RequiresRole('viewer')
  @ApiOperation({ summary: 'Configuration changes and replays: who, when, what changed (secrets redacted), newest first (viewer).' })
  list(@Query('subjectId') subjectId?: string, @Query('tenantId') tenantId?: string): Promise<AuditEntry[]> {
    return this.audit.list({ ...(subjectId ? { subjectId } : {}), ...(tenantId ? { tenantId } : {}) });
  }
}
